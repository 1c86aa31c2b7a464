// Errors cross the IPC channel as plain { name, message, stack }.
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { name: error.name || 'Error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { name?: unknown; message: unknown; stack?: unknown };
    return {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: String(e.message),
      ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
    };
  }
  return { name: 'NonError', message: `thrown value: ${safeString(error)}` };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
