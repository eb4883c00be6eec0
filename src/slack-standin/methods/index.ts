import { update as chatUpdate, deleteMessage, postEphemeral, postMessage } from './chat.js';
import { publish as viewsPublish } from './home.js';
import { authTest, conversationInfo, conversationOpen, usergroupUsers } from './misc.js';
import type { MethodHandler } from './types.js';
import { usersInfo, usersList } from './users.js';
import { open as viewsOpen, push as viewsPush, update as viewsUpdate } from './views.js';

export { type ApiResult, fail, type MethodHandler } from './types.js';

export const METHODS: ReadonlyMap<string, MethodHandler> = new Map(
  Object.entries({
    'auth.test': authTest,
    'chat.postMessage': postMessage,
    'chat.update': chatUpdate,
    'chat.postEphemeral': postEphemeral,
    'chat.delete': deleteMessage,
    'views.open': viewsOpen,
    'views.push': viewsPush,
    'views.update': viewsUpdate,
    'usergroups.users.list': usergroupUsers,
    'conversations.info': conversationInfo,
    'conversations.open': conversationOpen,
    'users.info': usersInfo,
    'users.list': usersList,
    'views.publish': viewsPublish,
  }),
);
