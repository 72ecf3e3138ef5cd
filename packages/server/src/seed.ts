import { CommentStore, registerThreadCountFinisher } from './comments/store.js';
import { CommitQueue } from './db/commit-queue.js';
import type { Storage } from './db/connect.js';
import { Problem } from './http/problem.js';
import type { PollCreate, ThreadCreate } from './http/schemas.js';
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
      if (!isUniqueViolation(error)) throw error;
    });
  }
  await seedDiscussions(storage, queue);
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

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
