import { css } from 'lit';

/*
 * Leaflet 1.9.4's leaflet.css (BSD-2-Clause, © Volodymyr Agafonkin, © CloudMade), adopted in the
 * shadow root that holds the map: a page's stylesheet cannot reach it there. Rules for what this
 * widget does not use (layers, scale and attribution controls, the default image icon, old IE's
 * VML, image and video overlays) are left out.
 */
export const leafletStyles = css`
  .leaflet-pane,
  .leaflet-tile,
  .leaflet-marker-icon,
  .leaflet-marker-shadow,
  .leaflet-tile-container,
  .leaflet-pane > svg,
  .leaflet-pane > canvas,
  .leaflet-zoom-box,
  .leaflet-layer { position: absolute; left: 0; top: 0; }
  .leaflet-container { overflow: hidden; }
  .leaflet-tile,
  .leaflet-marker-icon,
  .leaflet-marker-shadow { -webkit-user-select: none; -moz-user-select: none; user-select: none; -webkit-user-drag: none; }
  .leaflet-tile::selection { background: transparent; }
  .leaflet-safari .leaflet-tile { image-rendering: -webkit-optimize-contrast; }
  .leaflet-safari .leaflet-tile-container { width: 1600px; height: 1600px; -webkit-transform-origin: 0 0; }
  .leaflet-marker-icon,
  .leaflet-marker-shadow { display: block; }
  .leaflet-container .leaflet-overlay-pane svg { max-width: none !important; max-height: none !important; }
  .leaflet-container .leaflet-marker-pane img,
  .leaflet-container .leaflet-shadow-pane img,
  .leaflet-container .leaflet-tile-pane img,
  .leaflet-container .leaflet-tile { max-width: none !important; max-height: none !important; width: auto; padding: 0; }
  .leaflet-container img.leaflet-tile { mix-blend-mode: plus-lighter; }
  .leaflet-container.leaflet-touch-zoom { -ms-touch-action: pan-x pan-y; touch-action: pan-x pan-y; }
  .leaflet-container.leaflet-touch-drag { -ms-touch-action: pinch-zoom; touch-action: none; touch-action: pinch-zoom; }
  .leaflet-container.leaflet-touch-drag.leaflet-touch-zoom { -ms-touch-action: none; touch-action: none; }
  .leaflet-container { -webkit-tap-highlight-color: transparent; }
  .leaflet-container a { -webkit-tap-highlight-color: rgba(51, 181, 229, 0.4); }
  .leaflet-tile { filter: inherit; visibility: hidden; }
  .leaflet-tile-loaded { visibility: inherit; }
  .leaflet-zoom-box { width: 0; height: 0; -moz-box-sizing: border-box; box-sizing: border-box; z-index: 800; }
  .leaflet-overlay-pane svg { -moz-user-select: none; }
  .leaflet-pane { z-index: 400; }
  .leaflet-tile-pane { z-index: 200; }
  .leaflet-overlay-pane { z-index: 400; }
  .leaflet-shadow-pane { z-index: 500; }
  .leaflet-marker-pane { z-index: 600; }
  .leaflet-tooltip-pane { z-index: 650; }
  .leaflet-popup-pane { z-index: 700; }
  .leaflet-map-pane canvas { z-index: 100; }
  .leaflet-map-pane svg { z-index: 200; }
  .leaflet-control { position: relative; z-index: 800; pointer-events: visiblePainted; pointer-events: auto; }
  .leaflet-top,
  .leaflet-bottom { position: absolute; z-index: 1000; pointer-events: none; }
  .leaflet-top { top: 0; }
  .leaflet-right { right: 0; }
  .leaflet-bottom { bottom: 0; }
  .leaflet-left { left: 0; }
  .leaflet-control { float: left; clear: both; }
  .leaflet-right .leaflet-control { float: right; }
  .leaflet-top .leaflet-control { margin-top: 10px; }
  .leaflet-bottom .leaflet-control { margin-bottom: 10px; }
  .leaflet-left .leaflet-control { margin-left: 10px; }
  .leaflet-right .leaflet-control { margin-right: 10px; }
  .leaflet-fade-anim .leaflet-popup { opacity: 0; -webkit-transition: opacity 0.2s linear; -moz-transition: opacity 0.2s linear; transition: opacity 0.2s linear; }
  .leaflet-fade-anim .leaflet-map-pane .leaflet-popup { opacity: 1; }
  .leaflet-zoom-animated { -webkit-transform-origin: 0 0; -ms-transform-origin: 0 0; transform-origin: 0 0; }
  svg.leaflet-zoom-animated { will-change: transform; }
  .leaflet-zoom-anim .leaflet-zoom-animated { -webkit-transition: -webkit-transform 0.25s cubic-bezier(0,0,0.25,1); -moz-transition: -moz-transform 0.25s cubic-bezier(0,0,0.25,1); transition: transform 0.25s cubic-bezier(0,0,0.25,1); }
  .leaflet-zoom-anim .leaflet-tile,
  .leaflet-pan-anim .leaflet-tile { -webkit-transition: none; -moz-transition: none; transition: none; }
  .leaflet-zoom-anim .leaflet-zoom-hide { visibility: hidden; }
  .leaflet-interactive { cursor: pointer; }
  .leaflet-grab { cursor: -webkit-grab; cursor: -moz-grab; cursor: grab; }
  .leaflet-crosshair,
  .leaflet-crosshair .leaflet-interactive { cursor: crosshair; }
  .leaflet-popup-pane,
  .leaflet-control { cursor: auto; }
  .leaflet-dragging .leaflet-grab,
  .leaflet-dragging .leaflet-grab .leaflet-interactive,
  .leaflet-dragging .leaflet-marker-draggable { cursor: move; cursor: -webkit-grabbing; cursor: -moz-grabbing; cursor: grabbing; }
  .leaflet-marker-icon,
  .leaflet-marker-shadow,
  .leaflet-pane > svg path,
  .leaflet-tile-container { pointer-events: none; }
  .leaflet-marker-icon.leaflet-interactive,
  .leaflet-pane > svg path.leaflet-interactive { pointer-events: visiblePainted; pointer-events: auto; }
  .leaflet-container { background: #ddd; outline-offset: 1px; }
  .leaflet-container a { color: #0078A8; }
  .leaflet-zoom-box { border: 2px dotted #38f; background: rgba(255,255,255,0.5); }
  .leaflet-container { font-family: "Helvetica Neue", Arial, Helvetica, sans-serif; font-size: 12px; font-size: 0.75rem; line-height: 1.5; }
  .leaflet-bar { box-shadow: 0 1px 5px rgba(0,0,0,0.65); border-radius: 4px; }
  .leaflet-bar a { background-color: #fff; border-bottom: 1px solid #ccc; width: 26px; height: 26px; line-height: 26px; display: block; text-align: center; text-decoration: none; color: black; }
  .leaflet-bar a { background-position: 50% 50%; background-repeat: no-repeat; display: block; }
  .leaflet-bar a:hover,
  .leaflet-bar a:focus { background-color: #f4f4f4; }
  .leaflet-bar a:first-child { border-top-left-radius: 4px; border-top-right-radius: 4px; }
  .leaflet-bar a:last-child { border-bottom-left-radius: 4px; border-bottom-right-radius: 4px; border-bottom: none; }
  .leaflet-bar a.leaflet-disabled { cursor: default; background-color: #f4f4f4; color: #bbb; }
  .leaflet-touch .leaflet-bar a { width: 30px; height: 30px; line-height: 30px; }
  .leaflet-control-zoom-in,
  .leaflet-control-zoom-out { font: bold 18px 'Lucida Console', Monaco, monospace; text-indent: 1px; }
  .leaflet-touch .leaflet-control-zoom-in,
  .leaflet-touch .leaflet-control-zoom-out { font-size: 22px; }
  .leaflet-touch .leaflet-bar { box-shadow: none; }
  .leaflet-touch .leaflet-bar { border: 2px solid rgba(0,0,0,0.2); background-clip: padding-box; }
  .leaflet-popup { position: absolute; text-align: center; margin-bottom: 20px; }
  .leaflet-popup-content-wrapper { padding: 1px; text-align: left; border-radius: 12px; }
  .leaflet-popup-content { margin: 13px 24px 13px 20px; line-height: 1.3; font-size: 13px; font-size: 1.08333em; min-height: 1px; }
  .leaflet-popup-content p { margin: 17px 0; margin: 1.3em 0; }
  .leaflet-popup-tip-container { width: 40px; height: 20px; position: absolute; left: 50%; margin-top: -1px; margin-left: -20px; overflow: hidden; pointer-events: none; }
  .leaflet-popup-tip { width: 17px; height: 17px; padding: 1px; margin: -10px auto 0; pointer-events: auto; -webkit-transform: rotate(45deg); -moz-transform: rotate(45deg); -ms-transform: rotate(45deg); transform: rotate(45deg); }
  .leaflet-popup-content-wrapper,
  .leaflet-popup-tip { background: white; color: #333; box-shadow: 0 3px 14px rgba(0,0,0,0.4); }
  .leaflet-popup-scrolled { overflow: auto; }
  .leaflet-div-icon { background: #fff; border: 1px solid #666; }
  .leaflet-tooltip { position: absolute; padding: 6px; background-color: #fff; border: 1px solid #fff; border-radius: 3px; color: #222; white-space: nowrap; -webkit-user-select: none; -moz-user-select: none; -ms-user-select: none; user-select: none; pointer-events: none; box-shadow: 0 1px 3px rgba(0,0,0,0.4); }
  .leaflet-tooltip.leaflet-interactive { cursor: pointer; pointer-events: auto; }
  .leaflet-tooltip-top:before,
  .leaflet-tooltip-bottom:before,
  .leaflet-tooltip-left:before,
  .leaflet-tooltip-right:before { position: absolute; pointer-events: none; border: 6px solid transparent; background: transparent; content: ""; }
  .leaflet-tooltip-bottom { margin-top: 6px; }
  .leaflet-tooltip-top { margin-top: -6px; }
  .leaflet-tooltip-bottom:before,
  .leaflet-tooltip-top:before { left: 50%; margin-left: -6px; }
  .leaflet-tooltip-top:before { bottom: 0; margin-bottom: -12px; border-top-color: #fff; }
  .leaflet-tooltip-bottom:before { top: 0; margin-top: -12px; margin-left: -6px; border-bottom-color: #fff; }
  .leaflet-tooltip-left { margin-left: -6px; }
  .leaflet-tooltip-right { margin-left: 6px; }
  .leaflet-tooltip-left:before,
  .leaflet-tooltip-right:before { top: 50%; margin-top: -6px; }
  .leaflet-tooltip-left:before { right: 0; margin-right: -12px; border-left-color: #fff; }
  .leaflet-tooltip-right:before { left: 0; margin-left: -12px; border-right-color: #fff; }
  @media print { .leaflet-control { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;
