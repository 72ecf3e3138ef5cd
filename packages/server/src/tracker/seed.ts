import { CommentStore } from '../comments/store.js';
import type { CommitQueue } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import { Problem } from '../http/problem.js';
import type { OriginKind, ProjectStatus } from '../db/schema-tracker.js';
import { EMPTY_PROJECT, type OriginRef } from './model.js';
import { TrackerStore, type StoredOrigin } from './store.js';

const DAY = 24 * 3600 * 1000;

interface DemoProject {
  id: string;
  title: string;
  summary: string;
  district?: string;
  category?: string;
  budgetPlanned?: number;
  budgetSpent?: number;
  /** Days from the seed: negative in the past. */
  starts?: number;
  ends?: number;
  createdDaysAgo: number;
  /** Oldest first; status and progress move the project as they come. */
  updates: Array<{ daysAgo: number; title?: string; body: string; status?: ProjectStatus; progress?: number }>;
  /** Sources by what the seed knows of them: an idea's title, a report's first words, a poll or thread id. */
  origins: Array<{ kind: OriginKind; ref: string }>;
}

const IDEA_PISTE = 'Une piste cyclable sécurisée jusqu’au lycée Jean-Zay';

/** "Ce que vos idées sont devenues": the town's projects, at every stage, with where they came from. */
export function demoTracker() {
  return {
    id: 'realisations',
    title: 'Les réalisations de Belvoir-sur-Loire',
    description:
      '<p>Suivez les projets nés de vos idées, de vos votes et de vos signalements : où ils en sont, ce qu’ils coûtent et ce qui a changé.</p><p>Chaque projet a sa discussion : posez-y vos questions, le service concerné y répond.</p>',
    statusLabels: { planned: 'À l’étude', 'in-progress': 'En travaux', done: 'Réalisé', cancelled: 'Abandonné' },
    currency: 'EUR',
    pageUrl: 'https://www.belvoir-sur-loire.example/realisations',
    projects: demoProjects(),
  };
}

function demoProjects(): DemoProject[] {
  return [
    {
      id: 'piste-lycee',
      title: 'Piste cyclable du lycée Jean-Zay',
      summary: 'Une piste séparée de la circulation le long du chemin de halage, du centre-ville au lycée, en deux tranches.',
      district: 'Les Îles', category: 'Mobilité', budgetPlanned: 820_000, budgetSpent: 310_000, starts: -40, ends: 200, createdDaysAgo: 55,
      updates: [
        { daysAgo: 54, title: 'Le conseil municipal vote le projet', body: '<p>Vote à l’unanimité le 12 mars. La première tranche, du pont au rond-point des Îles, sera réalisée avant la rentrée.</p>' },
        { daysAgo: 40, title: 'Début des travaux', body: '<p>Le chantier de la première tranche commence. Le chemin de halage est fermé aux piétons entre le pont et la capitainerie pendant six semaines.</p>', status: 'in-progress', progress: 20 },
        { daysAgo: 8, body: '<p>La première tranche est revêtue ; l’éclairage sera posé la semaine prochaine. Le nid-de-poule de la route du Lycée est repris dans le même chantier.</p>', progress: 45 },
      ],
      origins: [{ kind: 'idea', ref: IDEA_PISTE }, { kind: 'idea', ref: 'Piste vélo vers le lycée' }, { kind: 'poll', ref: 'velo-centre' }, { kind: 'map-report', ref: 'Gros nid-de-poule sur la voie montante' }],
    },
    {
      id: 'fontaines-parcs',
      title: 'Fontaines à eau dans les parcs',
      summary: 'Trois fontaines d’eau potable : parc des Îles, jardin du Prieuré et stade municipal.',
      district: 'Centre-ville', category: 'Environnement', budgetPlanned: 36_000, budgetSpent: 34_200, starts: -90, ends: -40, createdDaysAgo: 40,
      updates: [
        { daysAgo: 39, title: 'Commande passée', body: '<p>Les trois fontaines sont commandées ; la pose est prévue avant l’été.</p>', status: 'in-progress', progress: 30 },
        { daysAgo: 20, title: 'Fontaines en service', body: '<p>Les trois fontaines sont en service depuis le 2 juin. Elles sont coupées de novembre à mars pour éviter le gel.</p>', status: 'done', progress: 100 },
      ],
      origins: [{ kind: 'idea', ref: 'Des fontaines à eau dans les parcs' }],
    },
    {
      id: 'mediatheque-louise-michel',
      title: 'Médiathèque Louise-Michel',
      summary: 'La nouvelle médiathèque de la place des Tanneurs, avec un espace jeunesse et un fab lab. Son nom a été choisi par les habitants.',
      district: 'Tanneries', category: 'Culture', budgetPlanned: 2_400_000, budgetSpent: 2_480_000, starts: -400, ends: -30, createdDaysAgo: 120,
      updates: [
        { daysAgo: 100, title: 'Le nom est choisi', body: '<p>Merci aux 154 votants : la médiathèque s’appellera <strong>Louise-Michel</strong>.</p>', status: 'in-progress', progress: 80 },
        { daysAgo: 30, title: 'Inauguration', body: '<p>La médiathèque a ouvert ses portes le 15 septembre. Le dépassement de 80 000 € tient au renforcement des fondations, décidé en cours de chantier.</p>', status: 'done', progress: 100 },
      ],
      origins: [{ kind: 'poll', ref: 'nom-mediatheque' }],
    },
    {
      id: 'jardins-clos-moreau',
      title: 'Jardins partagés du Clos-Moreau',
      summary: 'Vingt parcelles, un abri à outils et un récupérateur d’eau, si le budget participatif 2027 retient le projet.',
      district: 'Clos-Moreau', category: 'Environnement', budgetPlanned: 250_000, createdDaysAgo: 7,
      updates: [{ daysAgo: 6, title: 'En lice au budget participatif', body: '<p>Le projet est soumis au vote du budget participatif 2027. Résultat à la clôture du vote.</p>' }],
      origins: [{ kind: 'poll', ref: 'budget-2027' }, { kind: 'comment-thread', ref: 'budget-2027' }],
    },
    {
      id: 'marche-producteurs',
      title: 'Marché de producteurs au Clos-Moreau',
      summary: 'Un petit marché de producteurs locaux le samedi matin sur la place du Clos-Moreau.',
      district: 'Clos-Moreau', category: 'Vie de quartier', createdDaysAgo: 25,
      updates: [{ daysAgo: 24, title: 'Étude lancée', body: '<p>Le service du commerce rencontre les producteurs intéressés en septembre.</p>', progress: 10 }],
      origins: [{ kind: 'idea', ref: 'Un marché de producteurs le samedi au Clos-Moreau' }],
    },
    {
      id: 'eclairage-quais',
      title: 'Éclairage LED du quai de Loire',
      summary: 'Remplacement des lampadaires du quai par des LED avec extinction de 1 h à 5 h, du pont à la capitainerie.',
      district: 'Quais de Loire', category: 'Cadre de vie', budgetPlanned: 95_000, budgetSpent: 61_500, starts: -30, ends: 30, createdDaysAgo: 50,
      updates: [
        { daysAgo: 48, body: '<p>Les trois lampadaires éteints sont signalés au prestataire ; le remplacement de toute la ligne est programmé.</p>' },
        { daysAgo: 30, title: 'Chantier en cours', body: '<p>Douze lampadaires sur dix-huit sont remplacés.</p>', status: 'in-progress', progress: 70 },
      ],
      origins: [{ kind: 'map-report', ref: 'Trois lampadaires éteints' }],
    },
    {
      id: 'bancs-quais',
      title: 'Bancs et ombrages le long des quais',
      summary: 'Dix bancs et six arbres entre le pont et la capitainerie, pour que chacun puisse faire la promenade.',
      district: 'Quais de Loire', category: 'Cadre de vie', budgetPlanned: 48_000, createdDaysAgo: 5,
      updates: [{ daysAgo: 4, title: 'Projet retenu pour 2027', body: '<p>Les emplacements sont à l’étude avec le service des espaces verts.</p>' }],
      origins: [{ kind: 'idea', ref: 'Des bancs le long des quais de Loire' }, { kind: 'poll', ref: 'priorites-quartier' }],
    },
    {
      id: 'passage-ecole-iles',
      title: 'Passage piéton de l’école des Îles',
      summary: 'Marquage refait, éclairage renforcé et ralentisseur devant l’école maternelle.',
      district: 'Les Îles', category: 'Sécurité', budgetPlanned: 12_000, budgetSpent: 11_400, starts: -10, ends: -3, createdDaysAgo: 11,
      updates: [
        { daysAgo: 10, body: '<p>Intervention programmée pendant les vacances scolaires.</p>', status: 'in-progress', progress: 50 },
        { daysAgo: 3, title: 'Travaux terminés', body: '<p>Le marquage est refait et le ralentisseur posé.</p>', status: 'done', progress: 100 },
      ],
      origins: [{ kind: 'map-report', ref: 'Marquage du passage piéton' }],
    },
    {
      id: 'skatepark-iles',
      title: 'Rénovation du skatepark des Îles',
      summary: 'Remplacement des modules et du revêtement du skatepark.',
      district: 'Les Îles', category: 'Sport', budgetPlanned: 180_000, budgetSpent: 0, createdDaysAgo: 60,
      updates: [
        { daysAgo: 59, body: '<p>Étude de remise en état demandée.</p>' },
        { daysAgo: 9, title: 'Projet abandonné sous cette forme', body: '<p>La remise en état relève du budget d’entretien : les modules dangereux ont été retirés, et la rénovation complète est candidate au budget participatif 2027.</p>', status: 'cancelled' },
      ],
      origins: [{ kind: 'comment-thread', ref: 'budget-2027' }],
    },
    {
      id: 'ombrieres-marche',
      title: 'Ombrières et fontaine place du Marché',
      summary: 'Quatre ombrières photovoltaïques et une fontaine, pour les étés à plus de 40 °C.',
      district: 'Centre-ville', category: 'Environnement', budgetPlanned: 180_000, budgetSpent: 42_000, starts: -15, ends: 120, createdDaysAgo: 45,
      updates: [{ daysAgo: 15, title: 'Fondations posées', body: '<p>Les fondations des quatre ombrières sont coulées ; les structures arrivent en octobre.</p>', status: 'in-progress', progress: 30 }],
      origins: [{ kind: 'poll', ref: 'budget-2027' }],
    },
    {
      id: 'passages-tanneries',
      title: 'Éclairage des passages des Tanneries',
      summary: 'Les passages entre les rues des Tanneurs et du Moulin, éclairés toute la nuit par détection de présence.',
      district: 'Tanneries', category: 'Cadre de vie', budgetPlanned: 64_000, budgetSpent: 38_000, starts: -20, ends: 40, createdDaysAgo: 35,
      updates: [{ daysAgo: 20, title: 'Premiers passages éclairés', body: '<p>Quatre passages sur sept sont équipés.</p>', status: 'in-progress', progress: 60 }],
      origins: [{ kind: 'poll', ref: 'priorites-quartier' }],
    },
    {
      id: 'parc-iles-elagage',
      title: 'Élagage et plantations au parc des Îles',
      summary: 'Branches mortes retirées, quinze arbres plantés et un arrosage goutte-à-goutte pour les massifs.',
      district: 'Les Îles', category: 'Environnement', budgetPlanned: 22_500, budgetSpent: 21_900, starts: -45, ends: -20, createdDaysAgo: 48,
      updates: [
        { daysAgo: 45, body: '<p>La branche dangereuse est retirée et l’allée rouverte.</p>', status: 'in-progress', progress: 40 },
        { daysAgo: 20, title: 'Plantations faites', body: '<p>Les quinze arbres sont plantés. Merci aux habitants qui ont signalé la branche.</p>', status: 'done', progress: 100 },
      ],
      origins: [{ kind: 'map-report', ref: 'Une grosse branche morte' }],
    },
  ];
}

/** The tracker, if it does not exist yet; projects, updates, origins and discussions go through the store. */
export async function seedTracker(storage: Storage, queue: CommitQueue): Promise<void> {
  const store = new TrackerStore(storage, new CommentStore(storage));
  const { projects, ...tracker } = demoTracker();
  if (await store.trackerRow(tracker.id)) return;
  await queue.run(async (trx) => {
    if (await store.trackerRow(tracker.id, trx)) return;
    const start = Date.now();
    const at = (daysAgo: number) => new Date(start - daysAgo * DAY).toISOString();
    await store.createTracker(trx, tracker, at(130));
    const ideas = await trx.selectFrom('ideas').select(['id', 'title']).where('box_id', '=', 'belvoir-idees').execute();
    const reports = await trx.selectFrom('map_reports').select(['id', 'description']).where('map_id', '=', 'signalements').execute();
    const sourceId = ({ kind, ref }: { kind: OriginKind; ref: string }) =>
      kind === 'idea' ? ideas.find((idea) => idea.title === ref)?.id : kind === 'map-report' ? reports.find((report) => report.description.startsWith(ref))?.id : ref;
    for (const project of projects) {
      const refs = project.origins.flatMap((origin): OriginRef[] => {
        const id = sourceId(origin);
        return id === undefined ? [] : [{ kind: origin.kind, id }];
      });
      const sources = await store.sources(trx, refs);
      const origins: StoredOrigin[] = refs.flatMap((ref) => {
        const source = sources.get(`${ref.kind}:${ref.id}`);
        return source ? [{ ...ref, title: source.title, url: null }] : [];
      });
      const fields = {
        ...EMPTY_PROJECT,
        title: project.title,
        summary: project.summary,
        budgetPlanned: project.budgetPlanned ?? null,
        budgetSpent: project.budgetSpent ?? null,
        startsAt: project.starts === undefined ? null : at(-project.starts),
        endsAt: project.ends === undefined ? null : at(-project.ends),
        district: project.district ?? null,
        category: project.category ?? null,
      };
      await store.createProject(trx, tracker.id, project.id, fields, origins, at(project.createdDaysAgo));
      for (const update of project.updates) await store.addUpdate(trx, project.id, update, at(update.daysAgo));
    }
  }).catch((error: unknown) => {
    // Another instance starting at the same moment seeded it first.
    if (!(error instanceof Problem && error.status === 409)) throw error;
  });
}
