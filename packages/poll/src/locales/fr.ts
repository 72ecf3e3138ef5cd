
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    export const templates = {
    };
