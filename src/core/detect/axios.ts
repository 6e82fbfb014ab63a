// axios's request methods and where their arguments sit, written once for detection and for the fixes that rewrite axios calls.

/** `axios.get(url, config)`-shaped verbs: no data argument. */
export const AXIOS_VERBS_WITHOUT_DATA: ReadonlySet<string> = new Set(['get', 'delete', 'head', 'options']);
/** `axios.post(url, data, config)`-shaped verbs, the form-data variants included. */
export const AXIOS_VERBS_WITH_DATA: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
/** Every axios verb that makes a request (`request(config)` aside). */
export const AXIOS_VERBS: ReadonlySet<string> = new Set([...AXIOS_VERBS_WITHOUT_DATA, ...AXIOS_VERBS_WITH_DATA]);
