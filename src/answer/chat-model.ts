import OpenAI from 'openai';

/** The one thing the answer path needs from a chat model. */
export interface ChatModel {
  readonly id: string;
  complete(prompt: string, signal: AbortSignal): Promise<string>;
}

export interface ChatModelSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

/**
 * Any OpenAI-compatible chat server (OpenAI, DeepSeek, Qwen compatible mode, vLLM, Ollama).
 * No retries: a slow or failing server falls back to the offline answer within the timeout.
 */
export function createOpenAIChatModel(settings: ChatModelSettings): ChatModel {
  const client = new OpenAI({
    baseURL: settings.baseURL,
    apiKey: settings.apiKey,
    timeout: settings.timeoutMs,
    maxRetries: 0,
  });
  return {
    id: `openai:${settings.model}`,
    async complete(prompt, signal) {
      const completion = await client.chat.completions.create(
        { model: settings.model, messages: [{ role: 'user', content: prompt }], temperature: 0.2 },
        { signal },
      );
      const text = completion.choices?.[0]?.message?.content;
      if (typeof text !== 'string' || !text.trim()) throw new Error('the model returned no text');
      return text;
    },
  };
}
