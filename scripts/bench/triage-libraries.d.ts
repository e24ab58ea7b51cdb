// The sentiment libraries the triage bench compares against ship no types; only what it uses.
declare module 'wink-sentiment' {
  function sentiment(phrase: string): { score: number; normalizedScore: number };
  export default sentiment;
}

declare module '@nlpjs/core' {
  export class Container {
    use(plugin: unknown): void;
  }
}

declare module '@nlpjs/sentiment' {
  export class SentimentAnalyzer {
    constructor(settings: { container: unknown });
    process(input: { locale: string; text: string }): Promise<{ sentiment: { score: number; vote: string } }>;
  }
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-es' {
  export const LangEs: unknown;
}
declare module '@nlpjs/lang-fr' {
  export const LangFr: unknown;
}
