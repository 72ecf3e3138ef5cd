import { CommentStore, registerThreadCountFinisher } from './comments/store.js';
import { IdeaStore } from './ideas/store.js';
import { ideaThreadId } from './ideas/model.js';
import { seedMaps } from './maps/seed.js';
import { seedTracker } from './tracker/seed.js';
import { CommitQueue } from './db/commit-queue.js';
import type { Storage } from './db/connect.js';
import { Problem } from './http/problem.js';
import type { IdeaBoxCreate, PollCreate, ThreadCreate } from './http/schemas.js';
import type { IdeaStatus } from './db/schema.js';
import { PollStore, newId, registerCountFinisher } from './polls/store.js';
import { checkBallot } from './polls/rules.js';
import type { BallotInputWire } from './http/schemas.js';

const DAY = 24 * 3600 * 1000;

/**
 * Belvoir-sur-Loire, a fictional town of 14,000 people, consults its residents. Dates are set
 * relative to the day the seed runs, so the demo always shows polls open, upcoming and closed.
 */
export function demoPolls(now = Date.now()): Array<PollCreate & { published?: boolean; sample?: Array<[BallotInputWire, number]> }> {
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  return [
    {
      id: 'budget-2027',
      title: 'Budget participatif 2027 : quel projet financer en premier ?',
      description:
        '<p>La ville consacre <strong>250 000 €</strong> du budget 2027 à un projet choisi par les habitantes et habitants.</p><p>Un seul choix par personne. Les résultats sont visibles après avoir voté.</p>',
      type: 'single',
      options: [
        { id: 'jardins', label: 'Jardins partagés au Clos-Moreau', description: 'Vingt parcelles, un abri à outils et un récupérateur d’eau.' },
        { id: 'skatepark', label: 'Rénovation du skatepark des Îles' },
        { id: 'ombriere', label: 'Ombrières et fontaines place du Marché' },
        { id: 'bibliobus', label: 'Un bibliobus pour les hameaux' },
      ],
      allowOther: true,
      opensAt: at(-7),
      closesAt: at(60),
      resultVisibility: 'after-voting',
      quorum: 500,
      electorate: 11_200,
      allowBallotChange: false,
      requiredVerification: 'anonymous',
      eligibilityNote: 'Ouvert à toute personne qui vit, étudie ou travaille à Belvoir-sur-Loire, dès 11 ans. Un vote par appareil.',
    },
    {
      id: 'velo-centre',
      title: 'Centre-ville à vélo : quels aménagements vous feraient pédaler ?',
      description: '<p>Choisissez <em>jusqu’à trois</em> aménagements. Vous pouvez aussi proposer le vôtre.</p>',
      type: 'multiple',
      options: [
        { id: 'pistes', label: 'Pistes séparées sur les quais' },
        { id: 'arceaux', label: 'Plus d’arceaux de stationnement' },
        { id: 'zone30', label: 'Zone 30 dans tout l’hyper-centre' },
        { id: 'atelier', label: 'Atelier de réparation solidaire' },
        { id: 'double-sens', label: 'Double-sens cyclables dans les rues à sens unique' },
      ],
      minChoices: 1,
      maxChoices: 3,
      allowOther: true,
      opensAt: at(-3),
      closesAt: at(30),
      resultVisibility: 'always',
      allowBallotChange: true,
      requiredVerification: 'anonymous',
      sample: [
        [{ choices: ['pistes', 'arceaux'] }, 41],
        [{ choices: ['zone30'] }, 17],
        [{ choices: ['pistes', 'atelier', 'double-sens'] }, 23],
        [{ choices: ['arceaux'], other: 'Un parking vélo surveillé à la gare' }, 6],
      ],
    },
    {
      id: 'priorites-quartier',
      title: 'Quartier des Tanneries : classez vos priorités',
      description: '<p>Glissez les propositions de la plus importante à la moins importante.</p>',
      type: 'ranking',
      options: [
        { id: 'eclairage', label: 'Éclairage des passages' },
        { id: 'bancs', label: 'Bancs et points d’ombre' },
        { id: 'proprete', label: 'Propreté des rues' },
        { id: 'jeux', label: 'Aire de jeux pour les 6–12 ans' },
      ],
      opensAt: at(-10),
      closesAt: at(20),
      resultVisibility: 'after-voting',
      allowBallotChange: true,
      requiredVerification: 'anonymous',
      sample: [
        [{ ranking: ['eclairage', 'proprete', 'bancs', 'jeux'] }, 12],
        [{ ranking: ['jeux', 'bancs', 'eclairage', 'proprete'] }, 9],
      ],
    },
    {
      id: 'satisfaction-parcs',
      title: 'Parcs et jardins : qu’en pensez-vous ?',
      type: 'rating',
      options: [
        { id: 'entretien', label: 'Entretien des pelouses et massifs' },
        { id: 'proprete', label: 'Propreté' },
        { id: 'horaires', label: 'Horaires d’ouverture' },
        { id: 'jeux', label: 'Jeux pour enfants' },
      ],
      scale: { min: 1, max: 5, labels: { '1': 'Pas du tout satisfait', '3': 'Moyennement', '5': 'Très satisfait' } },
      opensAt: at(-14),
      closesAt: at(45),
      resultVisibility: 'always',
      allowBallotChange: true,
      requiredVerification: 'anonymous',
      sample: [
        [{ ratings: { entretien: 4, proprete: 3, horaires: 2, jeux: 5 } }, 18],
        [{ ratings: { entretien: 5, proprete: 4, horaires: 3, jeux: 4 } }, 11],
      ],
    },
    {
      id: 'marche-nocturne',
      title: 'Un marché nocturne l’été prochain : quel soir ?',
      type: 'single',
      options: [
        { id: 'jeudi', label: 'Le jeudi' },
        { id: 'vendredi', label: 'Le vendredi' },
        { id: 'samedi', label: 'Le samedi' },
      ],
      opensAt: at(14),
      closesAt: at(44),
      resultVisibility: 'after-closing',
      allowBallotChange: false,
      requiredVerification: 'anonymous',
    },
    {
      id: 'nom-mediatheque',
      title: 'Le nom de la nouvelle médiathèque',
      description: '<p>Merci aux 154 participantes et participants ! Le conseil municipal a retenu le nom arrivé en tête.</p>',
      type: 'single',
      options: [
        { id: 'louise-michel', label: 'Médiathèque Louise-Michel' },
        { id: 'la-passerelle', label: 'La Passerelle' },
        { id: 'les-tanneurs', label: 'Les Tanneurs' },
      ],
      opensAt: at(-90),
      closesAt: at(-30),
      resultVisibility: 'after-publication',
      allowBallotChange: false,
      requiredVerification: 'anonymous',
      published: true,
      sample: [
        [{ choices: ['louise-michel'] }, 71],
        [{ choices: ['la-passerelle'] }, 52],
        [{ choices: ['les-tanneurs'] }, 31],
      ],
    },
  ];
}

/** Loads the demo town; polls that already exist are left as they are. */
export async function seedDemo(storage: Storage): Promise<void> {
  const queue = new CommitQueue(storage.db, { concurrency: 1 });
  registerCountFinisher(queue);
  registerThreadCountFinisher(queue);
  const polls = new PollStore(storage, { cacheMs: 0 });
  for (const { published, sample, ...definition } of demoPolls()) {
    if (await polls.get(definition.id)) continue;
    await queue.run(async (trx, effects) => {
      // Another instance starting at the same moment may have seeded it since.
      if (await trx.selectFrom('polls').select('id').where('id', '=', definition.id).executeTakeFirst()) return;
      const now = new Date().toISOString();
      const poll = await polls.create(trx, definition, now);
      for (const [input, times] of sample ?? []) {
        const checked = checkBallot(poll, input);
        if (Array.isArray(checked)) throw new Error(`Seed ballot for ${poll.id} is not valid: ${checked[0]!.message}`);
        for (let i = 0; i < times; i += 1) {
          const participant = newId('p');
          await trx.insertInto('participants').values({ id: participant, verification: 'anonymous', site_id: null, subject: null, created_at: now }).execute();
          await polls.cast(trx, effects, poll, participant, checked, now);
        }
      }
      if (published) await polls.publishResults(trx, poll.id, now);
    }).catch((error: unknown) => {
      // Another instance starting at the same moment seeded it first.
      if (!isUniqueViolation(error) && !(error instanceof Problem && error.status === 409)) throw error;
    });
  }
  await seedDiscussions(storage, queue);
  await seedIdeas(storage, queue);
  await seedMaps(storage, queue);
  await seedTracker(storage, queue);
}

interface DemoComment {
  /** Key for replies to name their parent. */
  key: string;
  parent?: string;
  author?: string;
  stance: 'for' | 'against' | 'neutral';
  body: string;
  /** Hours before the seed runs. */
  hoursAgo: number;
  supports?: number;
}

/** The debate beside the `budget-2027` poll: residents argue for and against its projects. */
export function demoDiscussions(): Array<ThreadCreate & { comments: DemoComment[] }> {
  return [
    {
      id: 'budget-2027',
      title: 'Budget participatif 2027 : le débat',
      stances: true,
      preModeration: false,
      editWindowSeconds: 900,
      autoHideReports: 3,
      closed: false,
      requiredVerification: 'anonymous',
      comments: [
        { key: 'jardins', author: 'Camille D.', stance: 'for', hoursAgo: 150, supports: 12, body: 'Les jardins partagés du Clos-Moreau profiteraient au plus grand nombre : les deux écoles du quartier pourraient y avoir chacune une parcelle.' },
        { key: 'jardins-arrosage', parent: 'jardins', author: 'Julien M.', stance: 'neutral', hoursAgo: 148, supports: 3, body: 'Bonne idée pour les écoles. Mais qui s’occupe de l’arrosage pendant les vacances d’été ?' },
        { key: 'jardins-asso', parent: 'jardins-arrosage', author: 'Camille D.', stance: 'for', hoursAgo: 140, supports: 2, body: 'L’association des Jardiniers de la Loire s’est proposée pour assurer un roulement en juillet et en août.' },
        { key: 'jardins-contre', parent: 'jardins', author: 'Nadia B.', stance: 'against', hoursAgo: 120, supports: 4, body: 'Il existe déjà des jardins familiaux route de Saumur, et la liste d’attente y est courte. Je préfère financer ce qui manque vraiment.' },
        { key: 'skate', author: 'Thomas L.', stance: 'for', hoursAgo: 130, supports: 9, body: 'Le skatepark des Îles est devenu dangereux : modules rouillés, revêtement fissuré. Les ados n’ont pas d’autre lieu à eux en ville.' },
        { key: 'skate-entretien', parent: 'skate', author: 'Sophie R.', stance: 'against', hoursAgo: 110, supports: 5, body: 'D’accord sur l’état du skatepark, mais sa remise en état devrait relever du budget d’entretien, pas du budget participatif.' },
        { key: 'skate-parent', parent: 'skate', stance: 'for', hoursAgo: 96, supports: 1, body: 'Mon fils y va tous les mercredis. Rien que des bancs et un point d’eau seraient déjà un progrès.' },
        { key: 'ombre', author: 'Martine G.', stance: 'for', hoursAgo: 100, supports: 15, body: 'L’été dernier, il faisait 41 °C place du Marché, avec un seul platane pour s’abriter. Des ombrières et une fontaine, c’est une question de santé pour les plus âgés.' },
        { key: 'ombre-cout', parent: 'ombre', author: 'Pierre V.', stance: 'neutral', hoursAgo: 90, supports: 2, body: 'Des ombrières photovoltaïques pourraient aussi alimenter les halles. Le coût a-t-il été chiffré ?' },
        { key: 'ombre-chiffre', parent: 'ombre-cout', author: 'Martine G.', stance: 'for', hoursAgo: 85, body: 'D’après la fiche projet, environ 180 000 € pour quatre ombrières et deux fontaines, pose comprise.' },
        { key: 'ombre-merci', parent: 'ombre-chiffre', author: 'Pierre V.', stance: 'neutral', hoursAgo: 80, body: 'Merci. Il resterait donc de quoi planter quelques arbres autour, ce serait bien.' },
        { key: 'bibliobus', author: 'Hélène F.', stance: 'for', hoursAgo: 72, supports: 7, body: 'Le bibliobus est le seul projet qui pense aux hameaux. À Saint-Lubin, on est à 9 km de la médiathèque et il n’y a pas de car le samedi.' },
        { key: 'bibliobus-ecoles', parent: 'bibliobus', author: 'Julien M.', stance: 'for', hoursAgo: 60, supports: 2, body: 'Et il pourrait s’arrêter devant les écoles des hameaux en semaine.' },
        { key: 'partage', author: 'Karim S.', stance: 'neutral', hoursAgo: 40, supports: 4, body: 'Pourquoi ne pas partager l’enveloppe ? Deux projets à 125 000 € plutôt qu’un seul à 250 000 €.' },
        { key: 'partage-reglement', parent: 'partage', author: 'Sophie R.', stance: 'neutral', hoursAgo: 30, body: 'Le règlement prévoit un seul lauréat cette année, mais la question mérite d’être posée pour 2028.' },
        { key: 'velo', author: 'Lucie P.', stance: 'against', hoursAgo: 6, supports: 2, body: 'Aucun des quatre projets ne parle de la piste cyclable vers le lycée. Dommage, c’est pourtant la demande qui revient le plus.' },
      ],
    },
  ];
}

/** Threads that exist are kept, as polls are. Comments go through the store, so counts are its own. */
async function seedDiscussions(storage: Storage, queue: CommitQueue): Promise<void> {
  const store = new CommentStore(storage);
  for (const { comments, ...definition } of demoDiscussions()) {
    if (await store.thread(definition.id)) continue;
    await queue.run(async (trx, effects) => {
      if (await store.thread(definition.id, trx)) return;
      const start = Date.now();
      const at = (hoursAgo: number) => new Date(start - hoursAgo * 3600_000).toISOString();
      const thread = await store.createThread(trx, definition, at(170));
      const authors = new Map<string | undefined, string>();
      const ids = new Map<string, string>();
      const participant = async (created: string) => {
        const id = newId('p');
        await trx.insertInto('participants').values({ id, verification: 'anonymous', site_id: null, subject: null, created_at: created }).execute();
        return id;
      };
      for (const comment of comments) {
        const created = at(comment.hoursAgo);
        let author = comment.author === undefined ? undefined : authors.get(comment.author);
        if (!author) {
          author = await participant(created);
          if (comment.author !== undefined) authors.set(comment.author, author);
        }
        const row = await store.post(
          trx,
          effects,
          thread,
          { id: author, ...(comment.author === undefined ? {} : { displayName: comment.author }) },
          { body: comment.body, stance: comment.stance, ...(comment.parent ? { parentId: ids.get(comment.parent)! } : {}) },
          created,
        );
        ids.set(comment.key, row.id);
        for (let i = 0; i < (comment.supports ?? 0); i += 1) {
          await store.react(trx, row.id, { id: await participant(created), verification: 'anonymous' }, true, created);
        }
      }
    }).catch((error: unknown) => {
      // Another instance starting at the same moment seeded it first.
      if (!isUniqueViolation(error) && !(error instanceof Problem && error.status === 409)) throw error;
    });
  }
}

interface DemoIdea {
  author?: string;
  title: string;
  body: string;
  category: string;
  daysAgo: number;
  supports: number;
  status?: IdeaStatus;
  /** Council HTML, written by the seed itself. */
  answer?: string;
  /** Index of the idea this one repeats, in the list. */
  duplicateOf?: number;
  trackedProjectId?: string;
  moderation?: 'pending' | 'hidden';
  comments?: Array<{ author?: string; body: string }>;
}

/** The Belvoir idea box: residents' proposals at every stage of their follow-up. */
export function demoIdeaBox(): IdeaBoxCreate & { ideas: DemoIdea[] } {
  return {
    id: 'belvoir-idees',
    title: 'Boîte à idées de Belvoir-sur-Loire',
    description: '<p>Proposez vos idées pour la ville et soutenez celles des autres. La municipalité répond à chaque idée qui dépasse <strong>20 soutiens</strong>.</p>',
    categories: [
      { id: 'mobilite', label: 'Mobilité', color: '#1d4ed8', icon: 'bike' },
      { id: 'environnement', label: 'Environnement', color: '#15803d', icon: 'tree' },
      { id: 'vie-quartier', label: 'Vie de quartier', color: '#b45309', icon: 'home' },
      { id: 'culture-sport', label: 'Culture et sport', color: '#7e22ce', icon: 'music' },
    ],
    supportLimit: 10,
    preModeration: false,
    requiredVerification: 'anonymous',
    allowImages: true,
    allowLocation: true,
    autoHideReports: 5,
    ideas: [
      {
        author: 'Lucie P.', category: 'mobilite', daysAgo: 60, supports: 48, status: 'accepted', trackedProjectId: 'piste-lycee',
        title: 'Une piste cyclable sécurisée jusqu’au lycée Jean-Zay',
        body: 'Chaque matin, des centaines de lycéens pédalent sur la départementale entre les camions. Une piste séparée le long du chemin de halage réglerait le problème.',
        answer: '<p>Le conseil municipal a voté le projet le 12 mars : la piste sera réalisée en deux tranches, la première avant la rentrée prochaine.</p>',
        comments: [{ author: 'Thomas L.', body: 'Enfin ! Mon fils fait ce trajet tous les jours.' }, { body: 'Pensez à l’éclairage, l’hiver il fait nuit à 7 h 30.' }],
      },
      {
        author: 'Martine G.', category: 'environnement', daysAgo: 45, supports: 36, status: 'done',
        title: 'Des fontaines à eau dans les parcs',
        body: 'En été, il n’y a aucun point d’eau potable au parc des Îles ni au jardin du Prieuré. Deux fontaines suffiraient pour les familles et les sportifs.',
        answer: '<p>Trois fontaines ont été installées en juin : parc des Îles, jardin du Prieuré et stade municipal. Merci pour cette proposition.</p>',
      },
      {
        author: 'Karim S.', category: 'vie-quartier', daysAgo: 30, supports: 22, status: 'under-review',
        title: 'Un marché de producteurs le samedi au Clos-Moreau',
        body: 'Le quartier du Clos-Moreau n’a plus de commerce alimentaire depuis la fermeture de l’épicerie. Un petit marché de producteurs locaux le samedi matin redonnerait vie à la place.',
        answer: '<p>Le service du commerce rencontre les producteurs intéressés en septembre ; nous publierons le résultat de cette étude ici.</p>',
        comments: [{ author: 'Hélène F.', body: 'Je suis maraîchère à Saint-Lubin, je serais partante.' }],
      },
      {
        author: 'Sophie R.', category: 'culture-sport', daysAgo: 25, supports: 17,
        title: 'Ouvrir la médiathèque le dimanche matin',
        body: 'Beaucoup de familles qui travaillent en semaine ne peuvent pas venir le samedi. Une ouverture le dimanche de 10 h à 13 h permettrait d’emprunter des livres en famille.',
      },
      {
        author: 'Pierre V.', category: 'environnement', daysAgo: 20, supports: 3, status: 'rejected',
        title: 'Remplacer l’éclairage public par des lampadaires solaires partout',
        body: 'Des lampadaires solaires autonomes permettraient de réduire la facture d’électricité de la ville et de ne plus creuser de tranchées.',
        answer: '<p>Une étude de 2025 montre que les lampadaires solaires éclairent mal l’hiver dans notre région. La ville passe plutôt aux LED avec extinction de 1 h à 5 h, ce qui divise la consommation par trois.</p>',
      },
      {
        author: 'Nadia B.', category: 'mobilite', daysAgo: 15, supports: 4, status: 'duplicate', duplicateOf: 0,
        title: 'Piste vélo vers le lycée',
        body: 'Il faudrait une vraie piste cyclable pour aller au lycée sans risquer sa vie sur la route de Saumur.',
        answer: '<p>Cette idée rejoint la piste cyclable vers le lycée Jean-Zay, déjà acceptée.</p>',
      },
      {
        author: 'Julien M.', category: 'vie-quartier', daysAgo: 10, supports: 12,
        title: 'Des bancs le long des quais de Loire',
        body: 'Entre le pont et la capitainerie, il n’y a pas un seul banc sur un kilomètre. Les personnes âgées ne peuvent pas faire la promenade sans s’arrêter.',
        comments: [{ author: 'Martine G.', body: 'Oui, et quelques arbres pour l’ombre à côté des bancs.' }],
      },
      {
        author: 'Camille D.', category: 'culture-sport', daysAgo: 6, supports: 9,
        title: 'Un terrain de basket en accès libre aux Îles',
        body: 'Le seul terrain de basket de la ville est dans le gymnase, fermé le soir et le week-end. Un terrain extérieur à côté du skatepark serait très utilisé.',
      },
      {
        category: 'environnement', daysAgo: 3, supports: 5,
        title: 'Composteurs collectifs en pied d’immeuble',
        body: 'Dans les résidences de la Croix-Verte, nous n’avons pas de jardin pour composter. Des composteurs partagés réduiraient nos déchets de moitié.',
      },
      {
        author: 'Thomas L.', category: 'mobilite', daysAgo: 1, supports: 1,
        title: 'Des arceaux vélo devant la gare',
        body: 'Les arceaux devant la gare sont toujours pleins dès 8 h. Il en faudrait au moins vingt de plus, et abrités de la pluie.',
      },
      {
        category: 'vie-quartier', daysAgo: 0, supports: 0, moderation: 'hidden',
        title: 'PROMO sur les cuisines équipées',
        body: 'Profitez de nos remises exceptionnelles sur les cuisines équipées, livraison gratuite dans toute la région.',
      },
    ],
  };
}

/** The idea box, if it does not exist yet; ideas, supports, answers and discussions go through the stores. */
async function seedIdeas(storage: Storage, queue: CommitQueue): Promise<void> {
  const comments = new CommentStore(storage);
  const store = new IdeaStore(storage, comments);
  const { ideas, ...definition } = demoIdeaBox();
  if (await store.box(definition.id)) return;
  await queue.run(async (trx, effects) => {
    if (await store.box(definition.id, trx)) return;
    const start = Date.now();
    const at = (days: number) => new Date(start - days * DAY - 3600_000).toISOString();
    const box = await store.createBox(trx, { ...definition, opensAt: at(90) }, at(90));
    const participant = async (created: string) => {
      const id = newId('p');
      await trx.insertInto('participants').values({ id, verification: 'anonymous', site_id: null, subject: null, created_at: created }).execute();
      return id;
    };
    const ids: string[] = [];
    for (const idea of ideas) {
      const created = at(idea.daysAgo);
      const author = { id: await participant(created), verification: 'anonymous', ...(idea.author ? { displayName: idea.author } : {}) };
      const row = await store.propose(trx, box, author, { title: idea.title, body: idea.body, categoryId: idea.category }, created);
      ids.push(row.id);
      for (let i = 0; i < idea.supports; i += 1) await store.support(trx, row.id, { id: await participant(created), verification: 'anonymous' }, created);
      for (const comment of idea.comments ?? []) {
        const thread = await comments.requireThread(ideaThreadId(row.id), trx);
        await comments.post(trx, effects, thread, { id: await participant(created), ...(comment.author ? { displayName: comment.author } : {}) }, { body: comment.body }, created);
      }
      if (idea.status && idea.answer) {
        const duplicateOf = idea.duplicateOf === undefined ? undefined : ids[idea.duplicateOf];
        await store.answer(trx, row.id, { status: idea.status, body: idea.answer, author: 'Service démocratie participative', ...(duplicateOf ? { duplicateOf } : {}) }, at(Math.max(0, idea.daysAgo - 5)));
      }
      if (idea.trackedProjectId) await store.track(trx, row.id, idea.trackedProjectId);
      if (idea.moderation === 'hidden') await store.moderate(trx, row.id, 'hide', created);
    }
  }).catch((error: unknown) => {
    // Another instance starting at the same moment seeded it first.
    if (!isUniqueViolation(error) && !(error instanceof Problem && error.status === 409)) throw error;
  });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
