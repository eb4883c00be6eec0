import type {
  Answer,
  ClickRequest,
  ClientState,
  CloseRequest,
  CommandRequest,
  HomeRequest,
  SubmitRequest,
  VpsControl,
} from '../protocol.js';

async function post(path: string, body: unknown): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: 'The playground is not answering: is npm start still running?' };
  }
  try {
    return (await response.json()) as Answer;
  } catch {
    return { ok: false, error: `The playground answered HTTP ${response.status}.` };
  }
}

export const api = {
  state: async (user: string): Promise<ClientState> => {
    const response = await fetch(`/playground/state?user=${encodeURIComponent(user)}`);
    if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
    return (await response.json()) as ClientState;
  },
  command: (request: CommandRequest) => post('/playground/command', request),
  click: (request: ClickRequest) => post('/playground/click', request),
  submit: (request: SubmitRequest) => post('/playground/submit', request),
  close: (request: CloseRequest) => post('/playground/close', request),
  home: (request: HomeRequest) => post('/playground/home', request),
  vps: (control: VpsControl) => post('/playground/vps', control),
  clear: () => post('/playground/clear', {}),
};
