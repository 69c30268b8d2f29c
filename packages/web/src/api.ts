// The browser's API client: same-origin fetch with the session cookie and the CSRF token.
import { createApiClient } from '@argus/api';

export const api = createApiClient({ baseUrl: '', fetch: (input, init) => fetch(input, init) });
