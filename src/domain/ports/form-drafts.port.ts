/**
 * What a person typed into a refused form, kept briefly so the page can show it again after the
 * redirect (post/redirect/get) without putting it in the URL. A draft is readable only from the
 * session that wrote it, for the form it was written for, and from any instance of the plugin.
 */
export interface FormDraftStore {
  /** Stores the draft; returns its id for the redirect (null without a session). */
  save(sessionKey: string | null, form: string, payload: Record<string, unknown>): Promise<string | null>;
  /** The draft, or null when it is not this session's, not this form's, unknown or too old. */
  read(sessionKey: string | null, form: string, id: unknown): Promise<Record<string, unknown> | null>;
}
