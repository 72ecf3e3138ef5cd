
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    import {str} from '@lit/localize';

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      's12ef92742a8dbe96': `Cette action ne vous est pas permise ici. S’il s’agit selon vous d’une erreur, veuillez contacter la collectivité.`,
's249729b14f85d239': `Hors sujet`,
's2539d93cf510faae': str`Envoi impossible : ${0}`,
's298f36f3ad5115cb': `Spam ou publicité`,
's2ceb11be2290bb1b': `Annuler`,
's36671a46e61f97e3': `Enregistré sur cet appareil. L’envoi se fera dès le retour de la connexion.`,
's3a3d2edbf50bfc81': `Révèle des informations personnelles`,
's4404077350f52701': `Détails pour l’administrateur du site`,
's512d803429cef8ed': `Des informations sont manquantes ou incorrectes. Veuillez vérifier votre saisie et réessayer.`,
's56f1df9990038cbe': str`Prochaine tentative à ${0}.`,
's578c9c93361e49e0': `Votre session n’est plus valide. Veuillez recharger la page, vous identifier si cela vous est demandé, puis réessayer.`,
's57ade424d57c6edf': `Envoyé`,
's5ce4ba6ccc9725d4': `Le service rencontre un problème pour le moment. Veuillez réessayer plus tard.`,
's5cedad188cab188e': `Envoyer le signalement`,
's639303521f2df1e6': `Précisions pour les modérateurs (facultatif)`,
's652b178b9968f1a4': `Insultes, harcèlement ou haine`,
's694b27921a378766': `Élément introuvable. Il a peut-être été supprimé ; veuillez recharger la page.`,
's6b70b3f570b9cc95': `Ce module n’est pas configuré. Veuillez prévenir le webmestre du site.`,
's6b85510a553ef9ff': `Vous êtes hors ligne. Vérifiez votre connexion ; tout fonctionnera de nouveau dès que vous serez en ligne.`,
's6ead281adf0d371d': `Envoi en cours…`,
's8f0c03954741e121': `Choisissez un motif.`,
's92fcd2389f1ddd2e': `Trop de tentatives. Veuillez patienter un instant, puis réessayer.`,
'sc00a88b90cd60661': `Abandonner`,
'sc5564721201bb714': `Autre chose`,
'scd1dd6ff53d0d01a': `Réessayer`,
'scd954d33a3f684a8': `Le service a mis trop de temps à répondre. Veuillez réessayer dans un instant.`,
'sd5367a710984f84e': str`Le service a répondu « ${0} ». Si l’identifiant du module est juste, c’est son adresse de service (endpoint) qui semble fausse.`,
'sd89e75fd2e32dc34': str`Les précisions ne doivent pas dépasser ${0} caractères : ${1} de trop.`,
'sed53503de2f8aed9': `Le service est injoignable. Vérifiez votre connexion et réessayez.`,
'sef314155f9066c7a': `Cet élément a été modifié entre-temps, ou l’action a déjà été faite. Veuillez recharger la page pour voir la situation à jour.`,
'sf5348c60f9849f64': `La participation est close : les contributions ne sont plus acceptées.`,
'sfa117e67a3ed68ce': `Enregistré sur cet appareil. Le service ne répond pas ; un nouvel envoi sera tenté automatiquement.`,
    };
  