/**
 * The search worker's API as the page sees it (through comlink). Only plain data crosses.
 */
export interface SearchSummary {
  evaluated: number;
  bestScore: number;
  bestFlops: number;
  bestParams: number;
  bestLayers: number;
  /** the best structure in TinyNAS's best_structure.txt format */
  bestStructure: string;
  milliseconds: number;
}

export interface SearchWorkerApi {
  /** Run a whole search for a preset with a seed and a number of children. */
  runPreset(preset: string, children: number, seed: number): SearchSummary;
}
