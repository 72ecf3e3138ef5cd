import { expect } from '@open-wc/testing';
import { cluster, project, projectX, projectY, unprojectLat, unprojectLng } from '../../packages/participatory-map/src/clusters.js';
import { BELVOIR_CENTER, manyReports } from './helpers.js';

const points = manyReports(50_000, 3).map((report) => ({ id: report.id, lat: report.point!.lat, lng: report.point!.lng, categoryId: report.categoryId, status: report.status }));
const projected = project(points);

/** The world bounds of a view of `width` × `height` pixels around the town centre at `zoom`. */
function view(zoom: number, width = 800, height = 500, shiftX = 0) {
  const scale = 256 * 2 ** zoom;
  const x = projectX(BELVOIR_CENTER.lng) + shiftX / scale;
  const y = projectY(BELVOIR_CENTER.lat);
  return { minX: x - width / 2 / scale, maxX: x + width / 2 / scale, minY: y - height / 2 / scale, maxY: y + height / 2 / scale };
}

describe('grid clustering', () => {
  it('projects and unprojects Web Mercator without drift', () => {
    expect(unprojectLat(projectY(47.7352))).to.be.closeTo(47.7352, 1e-9);
    expect(unprojectLng(projectX(2.4921))).to.be.closeTo(2.4921, 1e-9);
  });

  it('keeps every point in view, once, in at most one marker per 64 px cell', () => {
    const bounds = view(14);
    const groups = cluster(projected, 14, bounds);
    const inView = points.filter((_, i) => projected.x[i]! >= bounds.minX && projected.x[i]! <= bounds.maxX && projected.y[i]! >= bounds.minY && projected.y[i]! <= bounds.maxY);
    expect(groups.reduce((sum, group) => sum + group.count, 0)).to.equal(inView.length);
    expect(groups.length).to.be.at.most(Math.ceil(800 / 64 + 1) * Math.ceil(500 / 64 + 1));
    expect(new Set(groups.map((group) => group.key)).size).to.equal(groups.length);
  });

  it('keeps the same clusters when the view pans: the grid belongs to the world', () => {
    const before = new Set(cluster(projected, 15, view(15)).map((group) => group.key));
    const after = cluster(projected, 15, view(15, 800, 500, 128)).map((group) => group.key);
    const kept = after.filter((key) => before.has(key));
    expect(kept.length).to.be.greaterThan(after.length / 2);
  });

  it('draws the selected report alone, and every report alone at the deepest zoom', () => {
    const selected = points[0]!.id;
    const groups = cluster(projected, 12, view(12, 4000, 4000), { alone: selected });
    expect(groups.some((group) => group.key === `r:${selected}` && group.count === 1)).to.be.true;
    const deepest = cluster(projected, 18, view(18), { maxZoom: 18 });
    expect(deepest.every((group) => group.count === 1)).to.be.true;
  });
});
