import type { CommitQueue } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import type { MapReportStatus } from '../db/schema-maps.js';
import { CommentStore } from '../comments/store.js';
import { Problem } from '../http/problem.js';
import { newId } from '../polls/store.js';
import { checkReport, mapReportThreadId } from './model.js';
import type { MapCreate } from './schemas.js';
import { MapStore } from './store.js';

const DAY = 24 * 3600 * 1000;

interface DemoReport {
  category: string;
  daysAgo: number;
  /** Offsets from the map's centre, in thousandths of a degree; absent for an address only. */
  at?: [north: number, east: number];
  address?: string;
  description: string;
  attributes?: Record<string, string | number | boolean>;
  /** Followers besides the author. */
  followers?: number;
  /** Council updates, oldest first: days after the report, the new status if any, council HTML. */
  updates?: Array<[days: number, status: MapReportStatus | undefined, body: string]>;
  moderation?: 'pending' | 'hidden';
  trackedProjectId?: string;
  comments?: string[];
}

const CENTER = { lat: 47.2716, lng: 0.2167 };

/** The Belvoir-sur-Loire map of street problems: categories with their fields, and residents' reports at every stage. */
export function demoMap(): MapCreate & { reports: DemoReport[] } {
  const gravite = {
    code: 'gravite', label: 'Gravité', type: 'select' as const, required: true,
    options: [{ value: 'gene', label: 'Gênant' }, { value: 'dangereux', label: 'Dangereux' }, { value: 'urgent', label: 'Danger immédiat' }],
  };
  return {
    id: 'signalements',
    title: 'Signalements dans l’espace public',
    description:
      '<p>Un nid-de-poule, un lampadaire éteint, un dépôt sauvage ? Signalez-le ici : les services techniques de la ville le traitent et vous tiennent informé·e.</p>' +
      '<p>En cas de danger immédiat, appelez le <strong>02 41 00 00 00</strong> (astreinte, jour et nuit).</p>',
    center: CENTER,
    zoom: 14,
    bounds: [{ lat: 47.235, lng: 0.15 }, { lat: 47.31, lng: 0.29 }],
    tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    tileAttribution: '© les contributeurs d’OpenStreetMap',
    closed: false,
    preModeration: false,
    allowImages: true,
    requiredVerification: 'anonymous',
    categories: [
      {
        id: 'voirie', label: 'Voirie', color: '#b45309', icon: '🚧', group: 'Rues et trottoirs',
        description: 'Nids-de-poule, trottoirs abîmés, marquage effacé, plaques d’égout.',
        fields: [gravite, { code: 'largeur_cm', label: 'Largeur approximative (cm)', type: 'number', required: false }],
      },
      {
        id: 'eclairage', label: 'Éclairage public', color: '#ca8a04', icon: '💡', group: 'Rues et trottoirs',
        description: 'Lampadaire éteint, clignotant ou allumé en journée.',
        fields: [
          { code: 'numero', label: 'Numéro du lampadaire', type: 'text', required: false, description: 'Plaque métallique sur le mât, par exemple BV-1204.' },
          { code: 'allume_jour', label: 'Allumé en pleine journée', type: 'checkbox', required: false },
        ],
      },
      {
        id: 'proprete', label: 'Propreté', color: '#0f766e', icon: '🧹', group: 'Cadre de vie',
        description: 'Dépôts sauvages, tags, poubelles qui débordent.',
        fields: [
          {
            code: 'type', label: 'Type de problème', type: 'select', required: true,
            options: [{ value: 'depot', label: 'Dépôt sauvage' }, { value: 'tag', label: 'Tag ou affichage sauvage' }, { value: 'poubelle', label: 'Poubelle pleine' }, { value: 'verre', label: 'Verre cassé' }],
          },
        ],
      },
      { id: 'espaces-verts', label: 'Espaces verts', color: '#15803d', icon: '🌳', group: 'Cadre de vie', description: 'Arbres, haies, pelouses et massifs.', fields: [] },
      {
        id: 'mobilier', label: 'Mobilier urbain', color: '#1d4ed8', icon: '🪑', group: 'Cadre de vie',
        description: 'Bancs, abribus, arceaux vélo, fontaines, panneaux.',
        fields: [
          {
            code: 'objet', label: 'Objet concerné', type: 'select', required: true,
            options: [{ value: 'banc', label: 'Banc' }, { value: 'abribus', label: 'Abribus' }, { value: 'arceau', label: 'Arceau vélo' }, { value: 'fontaine', label: 'Fontaine' }, { value: 'panneau', label: 'Panneau' }],
          },
        ],
      },
      {
        id: 'signalisation', label: 'Signalisation', color: '#be123c', icon: '⚠️', group: 'Rues et trottoirs',
        description: 'Feux, panneaux de circulation, passages piétons.',
        fields: [gravite],
      },
    ],
    reports: [
      { category: 'voirie', daysAgo: 62, at: [4, -6], address: 'Route du Lycée, face à l’arrêt Jean-Zay', description: 'Gros nid-de-poule sur la voie montante, les cyclistes font un écart dans la circulation pour l’éviter.', attributes: { gravite: 'dangereux', largeur_cm: 60 }, followers: 14, trackedProjectId: 'piste-lycee',
        updates: [[2, 'acknowledged', '<p>Signalement transmis au service voirie. Un rebouchage provisoire est programmé.</p>'], [9, 'in-progress', '<p>Rebouchage provisoire fait. La réfection complète de la chaussée est intégrée au projet de <strong>piste cyclable vers le lycée</strong>.</p>']],
        comments: ['Merci, c’était vraiment dangereux à vélo le matin.', 'Le trou se reforme déjà après les pluies.'] },
      { category: 'voirie', daysAgo: 40, at: [-2, 3], address: '14 rue des Tanneurs', description: 'Le trottoir est soulevé par les racines du platane, une personne âgée est tombée la semaine dernière.', attributes: { gravite: 'dangereux' }, followers: 6,
        updates: [[3, 'acknowledged', '<p>Un technicien passera sur place cette semaine.</p>']] },
      { category: 'voirie', daysAgo: 33, at: [1, 1], description: 'Plaque d’égout qui claque à chaque passage de voiture, on l’entend toute la nuit.', attributes: { gravite: 'gene' }, followers: 3,
        updates: [[5, 'closed', '<p>La plaque a été recalée par l’entreprise délégataire le 12.</p>']] },
      { category: 'voirie', daysAgo: 21, at: [-5, -9], address: 'Chemin de halage, sous le pont de fer', description: 'Le revêtement du chemin de halage est parti sur une dizaine de mètres, il reste des graviers et des trous.', attributes: { gravite: 'gene', largeur_cm: 250 }, followers: 9 },
      { category: 'voirie', daysAgo: 12, at: [6, 5], description: 'Marquage du passage piéton complètement effacé devant l’école maternelle des Îles.', attributes: { gravite: 'dangereux' }, followers: 11,
        updates: [[1, 'acknowledged', '<p>Repeinture prévue pendant les vacances scolaires, pour ne pas gêner l’accès à l’école.</p>']] },
      { category: 'voirie', daysAgo: 5, at: [-1, 7], description: 'Affaissement de la chaussée au carrefour, une flaque énorme se forme dès qu’il pleut.', attributes: { gravite: 'gene' }, followers: 1 },
      { category: 'voirie', daysAgo: 2, address: 'Impasse des Vignes, au fond à gauche', description: 'Bordure de trottoir cassée, les morceaux de béton traînent sur la chaussée.', attributes: { gravite: 'gene' } },
      { category: 'eclairage', daysAgo: 55, at: [2, -3], address: 'Quai de Loire, entre le pont et la capitainerie', description: 'Trois lampadaires éteints d’affilée sur le quai, c’est tout noir le soir sur plus de cent mètres.', attributes: { numero: 'BV-1204' }, followers: 18,
        updates: [[4, 'acknowledged', '<p>Panne de câble identifiée entre deux candélabres.</p>'], [20, 'in-progress', '<p>Tranchée ouverte pour remplacer le câble ; fin des travaux prévue sous quinze jours.</p>'], [34, 'closed', '<p>Câble remplacé, les trois lampadaires fonctionnent. Merci pour votre signalement.</p>']] },
      { category: 'eclairage', daysAgo: 30, at: [-3, -1], description: 'Le lampadaire clignote toute la nuit devant le n° 8, ça éclaire la chambre des enfants par à-coups.', attributes: { numero: 'BV-0871' }, followers: 2,
        updates: [[6, 'closed', '<p>Ampoule remplacée lors de la tournée de maintenance.</p>']] },
      { category: 'eclairage', daysAgo: 18, at: [5, 2], description: 'Éclairage allumé en plein jour dans tout le lotissement des Coteaux depuis lundi.', attributes: { allume_jour: true }, followers: 5,
        updates: [[1, 'in-progress', '<p>Horloge de l’armoire de commande déréglée : l’électricien intervient demain.</p>']] },
      { category: 'eclairage', daysAgo: 9, at: [-6, 4], description: 'Le parking de la gare n’est plus éclairé du tout depuis l’orage de samedi.', followers: 7,
        updates: [[1, 'acknowledged', '<p>Signalement reçu, le disjoncteur de l’armoire sera vérifié.</p>']] },
      { category: 'eclairage', daysAgo: 4, at: [0, -7], description: 'Lampadaire penché après un choc de camion, il menace de tomber sur le trottoir.', attributes: { numero: 'BV-1530' }, followers: 4 },
      { category: 'eclairage', daysAgo: 1, address: 'Sentier des Écoliers, derrière le gymnase', description: 'Aucun éclairage sur le sentier que prennent les collégiens, il fait nuit noire à 18 h en hiver.' },
      { category: 'proprete', daysAgo: 47, at: [3, 8], address: 'Parking du Clos-Moreau', description: 'Dépôt sauvage de gravats et d’un vieux canapé au fond du parking, ça s’accumule depuis des semaines.', attributes: { type: 'depot' }, followers: 8,
        updates: [[2, 'closed', '<p>Enlèvement effectué. Une plainte a été déposée : les gravats portaient l’adresse d’un chantier.</p>']] },
      { category: 'proprete', daysAgo: 26, at: [-4, 0], description: 'Tags sur tout le mur de la médiathèque côté rue, dont certains insultants.', attributes: { type: 'tag' }, followers: 3,
        updates: [[1, 'in-progress', '<p>Les propos insultants ont été recouverts dès ce matin ; le nettoyage complet est programmé.</p>']] },
      { category: 'proprete', daysAgo: 15, at: [2, 6], description: 'Les poubelles de la place du Marché débordent chaque dimanche soir après le marché.', attributes: { type: 'poubelle' }, followers: 12,
        updates: [[3, 'acknowledged', '<p>Une collecte supplémentaire le dimanche à 15 h est à l’étude avec le prestataire.</p>']] },
      { category: 'proprete', daysAgo: 8, at: [-2, -5], description: 'Verre cassé partout sous l’abribus, on ne peut pas y attendre avec un enfant.', attributes: { type: 'verre' }, followers: 2,
        updates: [[0, 'closed', '<p>Balayage fait dans la journée par l’équipe de propreté.</p>']] },
      { category: 'proprete', daysAgo: 6, at: [7, -4], description: 'Sacs d’ordures éventrés au bord du chemin des Prés, les animaux les fouillent la nuit.', attributes: { type: 'depot' }, followers: 1 },
      { category: 'proprete', daysAgo: 3, at: [1, -2], description: 'Affiches collées sur tous les poteaux de la rue Nationale, même sur les panneaux de signalisation.', attributes: { type: 'tag' } },
      { category: 'proprete', daysAgo: 0, at: [-1, 2], description: 'Dépôt de pneus usagés devant le local des associations, au moins une vingtaine.', attributes: { type: 'depot' } },
      { category: 'espaces-verts', daysAgo: 50, at: [-7, 6], address: 'Parc des Îles, allée des Tilleuls', description: 'Une grosse branche morte pend au-dessus de l’allée principale du parc, juste au-dessus du banc.', followers: 10,
        updates: [[1, 'in-progress', '<p>Allée fermée par précaution ; l’élagueur intervient jeudi.</p>'], [3, 'closed', '<p>Branche retirée et arbre contrôlé : il est sain.</p>']] },
      { category: 'espaces-verts', daysAgo: 35, at: [4, -8], description: 'La haie déborde sur le trottoir route de Saumur, on doit marcher sur la route avec une poussette.', followers: 4,
        updates: [[7, 'acknowledged', '<p>Le propriétaire riverain a reçu un courrier lui demandant de tailler sa haie sous un mois.</p>']] },
      { category: 'espaces-verts', daysAgo: 20, at: [-3, 9], description: 'Les massifs du rond-point sont secs, les plantations de printemps sont en train de mourir.', followers: 2 },
      { category: 'espaces-verts', daysAgo: 11, at: [6, -1], address: 'Square Louise-Michel', description: 'L’herbe n’a pas été tondue depuis deux mois dans le square, les enfants ne peuvent plus jouer au ballon.', followers: 6,
        updates: [[2, 'acknowledged', '<p>Le square est passé en gestion différenciée pour la biodiversité ; une bande de jeu sera tondue chaque semaine.</p>']] },
      { category: 'espaces-verts', daysAgo: 7, at: [-5, 3], description: 'Un arbre a été arraché par le vent et bloque à moitié la piste cyclable.', followers: 3,
        updates: [[0, 'in-progress', '<p>Les services techniques sont sur place.</p>']] },
      { category: 'espaces-verts', daysAgo: 2, at: [0, 9], description: 'Des chenilles processionnaires dans les pins de l’aire de jeux, il y a des nids bien visibles.', followers: 5 },
      { category: 'mobilier', daysAgo: 44, at: [2, 0], description: 'Le banc devant la mairie a deux lattes cassées, on ne peut plus s’y asseoir.', attributes: { objet: 'banc' }, followers: 3,
        updates: [[10, 'closed', '<p>Lattes remplacées par l’atelier municipal.</p>']] },
      { category: 'mobilier', daysAgo: 29, at: [-6, -6], address: 'Arrêt Gare routière', description: 'La vitre de l’abribus est brisée, il y a des éclats sur le banc.', attributes: { objet: 'abribus' }, followers: 4,
        updates: [[1, 'acknowledged', '<p>Les éclats ont été retirés ; la vitre est commandée auprès du fabricant (délai d’environ trois semaines).</p>']] },
      { category: 'mobilier', daysAgo: 17, at: [3, 3], description: 'La fontaine de la place du Marché coule en continu, l’eau part dans le caniveau.', attributes: { objet: 'fontaine' }, followers: 7,
        updates: [[2, 'in-progress', '<p>Le bouton-poussoir est bloqué ; la pièce est commandée.</p>']] },
      { category: 'mobilier', daysAgo: 10, at: [-4, 5], description: 'Les arceaux vélo devant la piscine sont descellés, on peut les soulever à la main.', attributes: { objet: 'arceau' }, followers: 2 },
      { category: 'mobilier', daysAgo: 5, at: [5, -5], description: 'Panneau d’information du quartier renversé sur la pelouse depuis le week-end.', attributes: { objet: 'panneau' } },
      { category: 'mobilier', daysAgo: 1, address: 'Place de l’Église', description: 'Il manque un banc à l’ombre sur la place : le seul existant est en plein soleil tout l’après-midi.', attributes: { objet: 'banc' }, followers: 2 },
      { category: 'signalisation', daysAgo: 38, at: [1, 4], description: 'Le feu piéton du carrefour de la Poste reste au rouge, il faut traverser au hasard.', attributes: { gravite: 'urgent' }, followers: 15,
        updates: [[0, 'in-progress', '<p>Intervention d’urgence demandée à l’entreprise de maintenance des feux.</p>'], [1, 'closed', '<p>Carte électronique du feu remplacée : il fonctionne de nouveau.</p>']] },
      { category: 'signalisation', daysAgo: 24, at: [-2, 8], description: 'Le panneau stop de la rue des Écoles est tourné vers le mauvais côté après un choc.', attributes: { gravite: 'dangereux' }, followers: 5,
        updates: [[1, 'closed', '<p>Panneau redressé et refixé.</p>']] },
      { category: 'signalisation', daysAgo: 14, at: [7, 2], description: 'Les voitures roulent très vite devant l’école, il faudrait au moins un panneau « attention enfants ».', attributes: { gravite: 'dangereux' }, followers: 13,
        updates: [[5, 'acknowledged', '<p>Un radar pédagogique sera posé deux semaines pour mesurer les vitesses avant de décider d’un aménagement.</p>']] },
      { category: 'signalisation', daysAgo: 6, at: [-7, -2], description: 'Le miroir de sortie du chemin des Prés est cassé, on ne voit plus arriver les voitures.', attributes: { gravite: 'dangereux' }, followers: 3 },
      { category: 'signalisation', daysAgo: 3, address: 'Rond-point de la Croix-Verte', description: 'Le panneau de direction vers le lycée a disparu, les nouveaux venus se trompent de sortie.', attributes: { gravite: 'gene' }, followers: 1 },
      { category: 'voirie', daysAgo: 0, at: [-3, -4], description: 'Nid-de-poule qui vient d’apparaître au milieu du passage piéton rue de la Paix.', attributes: { gravite: 'dangereux' }, moderation: 'pending' },
      { category: 'proprete', daysAgo: 1, at: [2, 2], description: 'ACHETEZ VOS PNEUS PAS CHERS livraison gratuite appelez vite le numéro en description', attributes: { type: 'depot' }, moderation: 'hidden' },
      { category: 'eclairage', daysAgo: 0, at: [4, 4], description: 'Le lampadaire du passage de la Fontaine grésille et s’éteint par moments.', moderation: 'pending' },
    ],
  };
}

/** The map, if it does not exist yet; reports, follows, updates and discussions go through the stores. */
export async function seedMaps(storage: Storage, queue: CommitQueue): Promise<void> {
  const comments = new CommentStore(storage);
  const store = new MapStore(storage, comments);
  const { reports, ...definition } = demoMap();
  if (await store.map(definition.id)) return;
  await queue.run(async (trx, effects) => {
    if (await store.map(definition.id, trx)) return;
    const start = Date.now();
    const at = (days: number) => new Date(start - days * DAY - 3600_000).toISOString();
    const participant = async (created: string) => {
      const id = newId('p');
      await trx.insertInto('participants').values({ id, verification: 'anonymous', site_id: null, subject: null, created_at: created }).execute();
      return { id, verification: 'anonymous' };
    };
    // Reports arrive before the council moderates: the map pre-moderates none, so pending ones are set after.
    const map = await store.createMap(trx, definition, at(90));
    for (const report of reports) {
      const created = at(report.daysAgo);
      const point = report.at && { lat: +(CENTER.lat + report.at[0] / 1000).toFixed(5), lng: +(CENTER.lng + report.at[1] / 1000).toFixed(5) };
      const checked = checkReport(map, {
        categoryId: report.category,
        description: report.description,
        ...(point ? { point } : {}),
        ...(report.address ? { address: report.address } : {}),
        ...(report.attributes ? { attributes: report.attributes } : {}),
      });
      if (Array.isArray(checked)) throw new Error(`Seed report "${report.description}" is not valid: ${checked[0]!.message}`);
      const pending = report.moderation === 'pending';
      const row = await store.submit(trx, pending ? { ...map, preModeration: true } : map, await participant(created), checked, created);
      for (let i = 0; i < (report.followers ?? 0); i += 1) await store.follow(trx, row.id, await participant(created), true, created);
      for (const body of report.comments ?? []) {
        const thread = await comments.requireThread(mapReportThreadId(row.id), trx);
        await comments.post(trx, effects, thread, await participant(created), { body }, created);
      }
      for (const [days, status, body] of report.updates ?? []) {
        await store.addUpdate(trx, row.id, { body, ...(status ? { status } : {}) }, at(Math.max(0, report.daysAgo - days)));
      }
      if (report.trackedProjectId) await store.track(trx, row.id, report.trackedProjectId);
      if (report.moderation === 'hidden') await store.moderate(trx, row.id, 'hide', created);
    }
  }).catch((error: unknown) => {
    // Another instance starting at the same moment seeded it first.
    if (!(error instanceof Problem && error.status === 409)) throw error;
  });
}
