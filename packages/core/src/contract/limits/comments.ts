/** Thread ids are free text so that any page can carry a discussion, e.g. `idea:42`. */
export const THREAD_ID_PATTERN = /^[A-Za-z0-9:_-]{1,120}$/;

/** Longest accepted comment, in characters after trimming; a blank comment is refused. */
export const COMMENT_MAX_LENGTH = 5000;

/** Comments per page when the caller does not say, and the most a page may hold. */
export const COMMENT_PAGE_SIZE = 20;
export const COMMENT_MAX_PAGE_SIZE = 100;

/** Replies nest this deep; a reply to a comment at this depth is shown flattened "in reply to". */
export const MAX_REPLY_DEPTH = 3;
