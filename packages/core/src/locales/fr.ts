
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      's4404077350f52701': `Details for the site administrator`,
'scd1dd6ff53d0d01a': `Try again`,
    };
  