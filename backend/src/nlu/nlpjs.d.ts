// Types for the two NLP.js packages the intent model uses directly (they ship none).
declare module '@nlpjs/neural' {
  export interface TrainingItem {
    input: Record<string, number>;
    output: Record<string, number>;
  }
  export class NeuralNetwork {
    constructor(settings?: { iterations?: number; errorThresh?: number; learningRate?: number; log?: boolean });
    train(corpus: TrainingItem[]): { error: number; iterations: number };
    run(input: Record<string, number>): Record<string, number> | undefined;
  }
}

declare module '@nlpjs/lang-en-min' {
  export class StemmerEn {
    stemWord(word: string): string;
  }
}

declare module '@nlpjs/similarity' {
  /** Levenshtein edit distance. */
  export function leven(a: string, b: string): number;
  export class SpellCheck {
    constructor(settings?: { features?: Record<string, number>; minLength?: number });
    checkToken(token: string, distance: number): string;
  }
}
