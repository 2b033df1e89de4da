/** Whether a value of the request is a JSON object (not `null`, not an array): what every check of its fields starts from. */
export const isJSONObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
