/**
 * A small asynchronous key-value store for the outbox: IndexedDB where it works, else
 * localStorage, else memory for the page's life. Reading never creates anything on the device, so
 * a page where the citizen has not acted yet leaves no trace (GDPR: storage only after an action).
 */
export interface KeyValueStore<V> {
  get(key: string): Promise<V | undefined>;
  /** Every stored value, in no particular order. */
  values(): Promise<V[]>;
  set(key: string, value: V): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface IndexedDbStoreOptions {
  /** Database name; `civic-widgets` unless a test isolates itself. */
  database?: string;
  /** Object store name; `outbox` by default. */
  objectStore?: string;
  /** The IndexedDB factory; `globalThis.indexedDB` by default. */
  factory?: IDBFactory;
  /** How long opening may take before the store gives up (some browsers hang instead of failing). */
  openTimeoutMs?: number;
}

const SCHEMA_VERSION = 1;

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Values kept in one IndexedDB object store, keyed out of line. */
export class IndexedDbStore<V> implements KeyValueStore<V> {
  private readonly database: string;
  private readonly objectStore: string;
  private readonly factory: IDBFactory | undefined;
  private readonly openTimeoutMs: number;
  private connection?: Promise<IDBDatabase | undefined>;

  constructor(options: IndexedDbStoreOptions = {}) {
    this.database = options.database ?? 'civic-widgets';
    this.objectStore = options.objectStore ?? 'outbox';
    this.factory = options.factory ?? globalThis.indexedDB;
    this.openTimeoutMs = options.openTimeoutMs ?? 3000;
  }

  async get(key: string): Promise<V | undefined> {
    const db = await this.open(false);
    if (!db) return undefined;
    return settle(db.transaction(this.objectStore, 'readonly').objectStore(this.objectStore).get(key));
  }

  async values(): Promise<V[]> {
    const db = await this.open(false);
    if (!db) return [];
    return settle(db.transaction(this.objectStore, 'readonly').objectStore(this.objectStore).getAll());
  }

  async set(key: string, value: V): Promise<void> {
    const db = await this.open(true);
    await this.write(db!, (store) => store.put(value, key));
  }

  async delete(key: string): Promise<void> {
    const db = await this.open(false);
    if (db) await this.write(db, (store) => store.delete(key));
  }

  private write(db: IDBDatabase, operation: (store: IDBObjectStore) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      // Durability matters more than speed here: the entry must survive a crash right after.
      const transaction = db.transaction(this.objectStore, 'readwrite', { durability: 'strict' });
      operation(transaction.objectStore(this.objectStore));
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error ?? new DOMException('Aborted', 'AbortError'));
    });
  }

  /** Resolves with `undefined` when the database does not exist and `create` is false. */
  private async open(create: boolean): Promise<IDBDatabase | undefined> {
    const pending = (this.connection ??= this.connect(create));
    const db = await pending;
    if (db) return db;
    // Not cached: another tab may create the database later.
    if (this.connection === pending) this.connection = undefined;
    return create ? this.open(true) : undefined;
  }

  private connect(create: boolean): Promise<IDBDatabase | undefined> {
    const connecting = new Promise<IDBDatabase | undefined>((resolve, reject) => {
      if (!this.factory) throw new DOMException('IndexedDB is not available', 'NotSupportedError');
      const request = this.factory.open(this.database, SCHEMA_VERSION);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new DOMException('Opening IndexedDB timed out', 'TimeoutError'));
      }, this.openTimeoutMs);
      let missing = false;
      request.onupgradeneeded = (event) => {
        if (!create && event.oldVersion === 0) {
          // Only looking: abort so that the database is not created.
          missing = true;
          request.transaction?.abort();
          return;
        }
        if (!request.result.objectStoreNames.contains(this.objectStore)) {
          request.result.createObjectStore(this.objectStore);
        }
      };
      request.onsuccess = () => {
        clearTimeout(timer);
        const db = request.result;
        if (timedOut) {
          db.close();
          return;
        }
        // Let another tab upgrade or delete the database; the next operation reopens it.
        db.onversionchange = () => {
          db.close();
          this.forget(connecting);
        };
        db.onclose = () => this.forget(connecting);
        resolve(db);
      };
      request.onerror = (event) => {
        clearTimeout(timer);
        if (missing) {
          event.preventDefault();
          resolve(undefined);
        } else {
          reject(request.error);
        }
      };
    });
    connecting.catch(() => this.forget(connecting));
    return connecting;
  }

  private forget(connection: Promise<IDBDatabase | undefined>): void {
    if (this.connection === connection) this.connection = undefined;
  }
}

export interface LocalStorageStoreOptions {
  /** Key prefix; `civic-widgets:outbox:` by default. */
  prefix?: string;
  /** The storage; `globalThis.localStorage` by default (reading that may throw, e.g. when blocked). */
  storage?: () => Storage;
}

/** Values kept as JSON in localStorage, one key each. Values must be JSON-serialisable. */
export class LocalStorageStore<V> implements KeyValueStore<V> {
  private readonly prefix: string;
  private readonly storage: () => Storage;

  constructor(options: LocalStorageStoreOptions = {}) {
    this.prefix = options.prefix ?? 'civic-widgets:outbox:';
    this.storage = options.storage ?? (() => globalThis.localStorage);
  }

  async get(key: string): Promise<V | undefined> {
    const text = this.backend().getItem(this.prefix + key);
    return text === null ? undefined : (JSON.parse(text) as V);
  }

  async values(): Promise<V[]> {
    const storage = this.backend();
    const values: V[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(this.prefix)) values.push(JSON.parse(storage.getItem(key)!) as V);
    }
    return values;
  }

  async set(key: string, value: V): Promise<void> {
    this.backend().setItem(this.prefix + key, JSON.stringify(value));
  }

  async delete(key: string): Promise<void> {
    this.backend().removeItem(this.prefix + key);
  }

  private backend(): Storage {
    const storage = this.storage();
    if (!storage) throw new DOMException('localStorage is not available', 'NotSupportedError');
    return storage;
  }
}

/** Values kept for the page's life only: the last resort, and handy in tests. */
export class MemoryStore<V> implements KeyValueStore<V> {
  private readonly map = new Map<string, V>();

  async get(key: string): Promise<V | undefined> {
    const value = this.map.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  async values(): Promise<V[]> {
    return [...this.map.values()].map((value) => structuredClone(value));
  }

  async set(key: string, value: V): Promise<void> {
    this.map.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    this.map.delete(key);
  }
}

/**
 * Uses the first store that works: when an operation fails, the store is abandoned for the
 * page's life and the operation is tried on the next one.
 */
export class FallbackStore<V> implements KeyValueStore<V> {
  private readonly stores: readonly KeyValueStore<V>[];
  private current = 0;

  constructor(stores: readonly KeyValueStore<V>[]) {
    if (stores.length === 0) throw new TypeError('FallbackStore needs at least one store');
    this.stores = stores;
  }

  /** The store in use now. */
  get active(): KeyValueStore<V> {
    return this.stores[this.current]!;
  }

  get(key: string): Promise<V | undefined> {
    return this.run((store) => store.get(key));
  }

  values(): Promise<V[]> {
    return this.run((store) => store.values());
  }

  set(key: string, value: V): Promise<void> {
    return this.run((store) => store.set(key, value));
  }

  delete(key: string): Promise<void> {
    return this.run((store) => store.delete(key));
  }

  private async run<T>(operation: (store: KeyValueStore<V>) => Promise<T>): Promise<T> {
    for (;;) {
      const index = this.current;
      try {
        return await operation(this.stores[index]!);
      } catch (error) {
        if (index === this.stores.length - 1) throw error;
        // Another operation may have moved on already; never move back.
        this.current = Math.max(this.current, index + 1);
      }
    }
  }
}

export interface OutboxStoreOptions {
  indexedDb?: IndexedDbStoreOptions;
  localStorage?: LocalStorageStoreOptions;
}

/** IndexedDB (`civic-widgets` / `outbox`), falling back to localStorage, then to memory. */
export function createOutboxStore<V>(options: OutboxStoreOptions = {}): FallbackStore<V> {
  return new FallbackStore<V>([
    new IndexedDbStore<V>(options.indexedDb),
    new LocalStorageStore<V>(options.localStorage),
    new MemoryStore<V>(),
  ]);
}
