/** Questions on a terminal. Off a terminal nothing is asked: the caller refuses or needs a flag. No vscode import. */
import * as readline from 'node:readline/promises';

/** Whether a person can answer: stdin and stderr are terminals. */
export function canAsk(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Asks until one of the choices' keys is typed; undefined off a terminal or at end of input. */
export async function askChoice<K extends string>(question: string, choices: ReadonlyArray<{ key: K; label: string }>, signal?: AbortSignal): Promise<K | undefined> {
  if (!canAsk()) return undefined;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const prompt = `${question}\n${choices.map((c) => `  [${c.key}] ${c.label}`).join('\n')}\n> `;
    for (;;) {
      const answer = (await rl.question(prompt, signal ? { signal } : {})).trim();
      const chosen = choices.find((c) => c.key === answer);
      if (chosen) return chosen.key;
    }
  } catch {
    return undefined;
  } finally {
    rl.close();
  }
}
