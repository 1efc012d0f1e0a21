import type { CallOptions, HttpCore } from '../http';
import { MessageThread, type MessageCompose, type MessageFolder } from '../models';
import { v1All, type PageOptions } from '../paging';

export interface ThreadFilter {
  /** Threads in any of these folders. */
  readonly folder?: readonly MessageFolder[] | undefined;
  /** Threads in none of these folders. */
  readonly folder_ne?: readonly MessageFolder[] | undefined;
}

/** `/v1/message-threads`: messages to and from Tolokers. */
export class MessagesApi {
  constructor(private readonly core: HttpCore) {}

  compose(message: MessageCompose, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: '/v1/message-threads/compose', data: message, schema: MessageThread, ...options });
  }

  all(filter: ThreadFilter = {}, options: PageOptions = {}) {
    const params = { folder: filter.folder?.join(','), folder_ne: filter.folder_ne?.join(',') };
    return v1All(this.core, { path: '/v1/message-threads', item: MessageThread, params, maxLimit: 300, defaultLimit: 300 }, options);
  }

  reply(id: string, text: Record<string, string>, options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/v1/message-threads/${encodeURIComponent(id)}/reply`, data: { text }, schema: MessageThread, ...options });
  }

  addToFolders(id: string, folders: readonly MessageFolder[], options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/v1/message-threads/${encodeURIComponent(id)}/add-to-folders`, data: { folders }, schema: MessageThread, ...options });
  }

  removeFromFolders(id: string, folders: readonly MessageFolder[], options: CallOptions = {}) {
    return this.core.request({ method: 'POST', path: `/v1/message-threads/${encodeURIComponent(id)}/remove-from-folders`, data: { folders }, schema: MessageThread, ...options });
  }
}
