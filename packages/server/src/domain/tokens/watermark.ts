/**
 * Per-subject "not before" marks, counted in generations rather than seconds: a token carrying `gen`
 * is superseded once its subject's generation has moved past it, even when the newer token was issued in
 * the same second.
 */
export interface WatermarkStore {
  /**
   * Moves the subject's generation up by one (from 0 when it has none) and returns the new value,
   * recording a `watermark` change. Concurrent callers each get a distinct generation.
   */
  advance(subject: string, at: number): Promise<number>;
  /** The subject's generation, 0 when it has none. */
  get(subject: string): Promise<number>;
}
