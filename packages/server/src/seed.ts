import { CommitQueue } from './db/commit-queue.js';
import type { Storage } from './db/connect.js';
import type { PollCreate } from './http/schemas.js';
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
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
