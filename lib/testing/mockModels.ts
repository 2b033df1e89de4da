/** One model as the mock's `/v1/models` lists it (the fields the API always sends, capabilities left out). */
export interface MockModelInfo {
  readonly type: 'model';
  readonly id: string;
  readonly display_name: string;
  readonly created_at: string;
  readonly lifecycle: 'active' | 'deprecated' | 'retired';
  readonly deprecated_at: string | null;
  readonly retires_at: string | null;
  readonly max_input_tokens: number | null;
  readonly max_tokens: number | null;
}

const model = (id: string, display_name: string, created_at: string, retires_at: string | null = null): MockModelInfo => ({
  type: 'model',
  id,
  display_name,
  created_at,
  lifecycle: retires_at === null ? 'active' : 'deprecated',
  deprecated_at: retires_at === null ? null : '2026-06-01T00:00:00Z',
  retires_at,
  max_input_tokens: 200_000,
  max_tokens: 64_000,
});

/** The models the mock lists, most recently released first as the API lists them. */
export const MOCK_MODELS: readonly MockModelInfo[] = [
  model('claude-opus-4-6', 'Claude Opus 4.6', '2026-02-05T00:00:00Z'),
  model('claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-05T00:00:00Z'),
  model('claude-opus-4-5-20251101', 'Claude Opus 4.5', '2025-11-01T00:00:00Z', '2027-01-22T00:00:00Z'),
  model('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-01T00:00:00Z'),
  model('claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z', '2026-11-30T00:00:00Z'),
];
