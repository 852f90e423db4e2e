const KEY = 'banzai.token'

/** Where the API token lives: sessionStorage, so it lasts for the browser session only. */
export interface TokenStore {
  get(): string | null
  set(token: string | null): void
}

/** The token store of the page, backed by `sessionStorage` (memory when storage is blocked). */
export function createSessionTokenStore(storage: Storage | null = readSessionStorage()): TokenStore {
  let memory: string | null = null
  return {
    get: () => (storage ? storage.getItem(KEY) : memory),
    set(token) {
      memory = token
      if (!storage) return
      if (token === null) storage.removeItem(KEY)
      else storage.setItem(KEY, token)
    },
  }
}

function readSessionStorage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null
  }
}
