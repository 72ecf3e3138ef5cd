import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import {
  DraftController,
  describeError,
  type CivicError,
  type GeoPoint,
  type MapCategoryField,
  type MapReport,
  type MapReportInput,
  type OutboxEntry,
  type ParticipatoryMap,
} from '@civic-widgets/core';
import type { CivicMapView } from './map-view.js';
import { positionText } from './position.js';
import type { Field, FieldErrors, ReportDraft } from './report-form-view.js';
import { checkReport, formErrorsOf, imageProblem, inBounds, locationErrorText, reportInput } from './report-rules.js';

const NEARBY_DELAY = 400;

export interface ReportFlowOptions {
  /** The draft's key on the device, per map. */
  draftKey(): string | undefined;
  /** The map being reported on, once read. */
  area(): ParticipatoryMap | undefined;
  /** The map is on screen: a point is placed there. */
  mapShown(): boolean;
  mapView(): CivicMapView | null;
  /** Open reports of a category near a point. */
  findNearby(point: GeoPoint, categoryId: string): Promise<MapReport[]>;
  /** Hands a checked report to the outbox. */
  send(input: MapReportInput): void;
  /** Moves focus once the next update has rendered. */
  focus(selector: string): void;
  /** Says something through the element's status region. */
  announce(text: string): void;
}

/**
 * Filing a report: the draft kept on the device, the point placed on the map, by location or by
 * address, the photo, reports nearby that may be the same problem, the checks before sending, and
 * a refused report taken back into the form with what to fix. The element renders it with
 * report-form-view.ts and sends what `submit` hands it.
 */
export class ReportFlow implements ReactiveController {
  reporting = false;
  image?: { name: string; url: string };
  errors: FieldErrors = {};
  /** The error summary is shown (after a refused submit). */
  summary = false;
  nearby: MapReport[] = [];
  locating = false;
  locationNote?: { text: string; alert: boolean };

  private readonly draft: DraftController<ReportDraft>;
  private nearbyTicket = 0;
  private nearbyTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ReportFlowOptions,
  ) {
    this.draft = new DraftController<ReportDraft>(host, { key: options.draftKey });
    host.addController(this);
  }

  hostDisconnected(): void {
    clearTimeout(this.nearbyTimer);
  }

  /** Forgets the form's state (not the draft, kept per map): the element shows another map. */
  reset(): void {
    this.reporting = false;
    this.errors = {};
    this.nearby = [];
  }

  /** Puts a new version of a report among those nearby. */
  replace(report: MapReport): void {
    this.nearby = this.nearby.map((item) => (item.id === report.id ? report : item));
  }

  /** A refused report goes back into the form, with what to fix: nothing typed is lost. */
  takeBack(entry: OutboxEntry<MapReportInput>, error: CivicError): void {
    const { categoryId, point, address, description, attributes, image } = entry.payload;
    if (!this.draft.value?.description.trim()) {
      this.draft.save({ categoryId, point, address, description, attributes: attributes as Record<string, string | boolean> | undefined });
    }
    if (image && !this.image) this.image = { name: msg('The photo you chose'), url: image };
    const errors = formErrorsOf(error);
    const known = Object.keys(errors).length > 0;
    if (!known) errors.form = describeError(error);
    this.errors = errors;
    this.reporting = true;
    this.summary = known;
    this.host.requestUpdate();
    this.options.focus(known ? '#error-summary' : '#report-category');
  }

  start(): void {
    this.reporting = true;
    this.host.requestUpdate();
    this.options.focus('#report-category');
    if (this.draft.value) this.findNearby();
  }

  cancel(): void {
    this.reporting = false;
    this.summary = false;
    this.errors = {};
    this.nearby = [];
    this.locationNote = undefined;
    this.host.requestUpdate();
    this.options.focus('#report');
  }

  get draftValue(): ReportDraft {
    return this.draft.value ?? { description: '' };
  }

  type(change: Partial<ReportDraft>, field?: Field): void {
    this.draft.save({ ...this.draftValue, ...change });
    const key = field ?? (Object.keys(change)[0] as Field);
    if (this.errors[key] || this.errors.form) this.errors = { ...this.errors, [key]: undefined, form: undefined };
    if ('categoryId' in change || 'point' in change) this.findNearby();
    this.host.requestUpdate();
  }

  answer(field: MapCategoryField, value: string | boolean): void {
    this.type({ attributes: { ...this.draftValue.attributes, [field.code]: value } }, `attributes.${field.code}`);
  }

  placeOnMap(): void {
    this.options.mapView()?.focusMap();
  }

  /** A point placed on the map, with the mouse or the keyboard's crosshair. */
  place(point: GeoPoint): void {
    if (!this.reporting) return;
    const area = this.options.area();
    const errors = { ...this.errors, point: undefined, address: undefined };
    this.errors = inBounds(point, area?.bounds) ? errors : { ...errors, point: msg('This point is outside the map’s area. Place it within the area shown.') };
    if (this.errors.point) {
      this.options.announce(this.errors.point);
      this.host.requestUpdate();
      return;
    }
    this.type({ point }, 'point');
    this.locationNote = undefined;
    this.options.announce(msg(str`Point placed: ${positionText(point, area!.center)}`));
    this.options.focus('#report-point');
  }

  placeCancelled(): void {
    this.options.focus('#report-point');
  }

  removePoint(): void {
    const { point: _removed, ...rest } = this.draftValue;
    this.draft.save(rest);
    this.nearby = [];
    this.options.announce(msg('The point is removed.'));
    this.options.focus(this.options.mapShown() ? '#report-point' : '#report-address');
  }

  /** Asked only when the citizen presses the button: the browser then asks for permission. */
  locate(): void {
    const geolocation = navigator.geolocation;
    if (!geolocation) return;
    this.locating = true;
    this.locationNote = { text: msg('Finding your location…'), alert: false };
    this.host.requestUpdate();
    geolocation.getCurrentPosition(
      (position) => {
        this.locating = false;
        this.host.requestUpdate();
        const area = this.options.area();
        const point = { lat: position.coords.latitude, lng: position.coords.longitude };
        if (!inBounds(point, area?.bounds)) {
          this.locationNote = { text: msg('You seem to be outside the map’s area. Place the point on the map or type an address.'), alert: true };
          return;
        }
        this.type({ point }, 'point');
        this.options.mapView()?.showPoint(point);
        this.locationNote = { text: msg(str`Point placed at your location: ${positionText(point, area!.center)}`), alert: false };
      },
      (error) => {
        this.locating = false;
        this.locationNote = { text: locationErrorText(error), alert: true };
        this.host.requestUpdate();
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  /** Open reports of the same category near the point, offered before a new report. */
  private findNearby(): void {
    clearTimeout(this.nearbyTimer);
    const { point, categoryId } = this.draftValue;
    if (!point || !categoryId) {
      this.nearby = [];
      this.host.requestUpdate();
      return;
    }
    this.nearbyTimer = setTimeout(async () => {
      const ticket = ++this.nearbyTicket;
      try {
        const found = await this.options.findNearby(point, categoryId);
        if (ticket === this.nearbyTicket) this.nearby = found;
      } catch {
        // Nearby reports are a help, not a step: the citizen can still send theirs.
        if (ticket === this.nearbyTicket) this.nearby = [];
      }
      this.host.requestUpdate();
    }, NEARBY_DELAY);
  }

  chooseImage(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    this.image = undefined;
    this.errors = { ...this.errors, image: undefined };
    this.host.requestUpdate();
    if (!file) return;
    const problem = imageProblem(file);
    if (problem) {
      input.value = '';
      this.errors = { ...this.errors, image: problem };
      this.host.requestUpdate();
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      this.image = { name: file.name, url: String(reader.result) };
      this.host.requestUpdate();
    };
    reader.onerror = () => {
      this.errors = { ...this.errors, image: msg('This photo could not be read. Try another one.') };
      this.host.requestUpdate();
    };
    reader.readAsDataURL(file);
  }

  /** Checks the report and hands it to `send`; the outbox says the rest. */
  submit(event: Event): void {
    event.preventDefault();
    const map = this.options.area();
    if (!map) return;
    const draft = this.draftValue;
    const errors = checkReport(draft, map, { mapShown: this.options.mapShown(), imageError: this.errors.image });
    if (Object.keys(errors).length > 0) {
      this.errors = errors;
      this.summary = true;
      this.host.requestUpdate();
      this.options.focus('#error-summary');
      return;
    }
    this.errors = {};
    this.summary = false;
    const category = map.categories.find((item) => item.id === draft.categoryId)!;
    const input = reportInput(draft, category, map.allowImages ? this.image?.url : undefined);
    this.options.send(input);
    // The outbox keeps the report now, on the device too.
    this.draft.clear();
    this.image = undefined;
    this.nearby = [];
    this.locationNote = undefined;
    this.reporting = false;
    this.host.requestUpdate();
    this.options.focus('#report');
  }
}
