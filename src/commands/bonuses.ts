import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { ClientProvider } from '../environment/clientProvider';
import { bonusJournalFor, describeBonusError, payBonuses, readBonusFile, type BonusFile, type PayResult } from '../files/bonuses';
import { Commands } from '../ids';
import { describeError, isCancellation } from '../toloka/errors';
import { BONUS_MAX, BONUS_MIN, describeToloker } from '../toloka/models';
import { lineDiagnostic, pickWorkspaceFile, uriOf } from './pick';
import type { Prompter } from './prompter';
import { registerCommand, type CommandContext, type CommandServices } from './registerCommand';
import { resultRowsFrom, type ResultRow } from './resultRows';

export interface BonusDeps extends CommandServices {
  readonly connections: ClientProvider;
}

const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 3 })}`;

/** What a dashboard's Bonus button acts on. Checked, as any argument from a webview. */
const Target = z.object({ poolId: z.string().regex(/^\d+$/), workerId: z.string().regex(/^[0-9a-f]{32}$/) });

function amountProblem(text: string): string | undefined {
  const n = Number(text.trim());
  if (!/^\d+(\.\d+)?$/.test(text.trim())) return 'a number of US dollars, such as 0.50';
  if (n < BONUS_MIN) return `at least $${BONUS_MIN}`;
  if (n > BONUS_MAX) return `at most $${BONUS_MAX} per bonus (Toloka's limit)`;
  return undefined;
}

/**
 * A checked bonus file paid: the balance looked at, one confirmation with the total, every
 * bonus paid exactly once (the journal beside the file), and what was paid said. `rerun` tells
 * how to go on after a stop.
 */
async function payChecked(ctx: CommandContext, deps: BonusDeps, file: vscode.Uri, checked: BonusFile, rerun: string): Promise<PayResult> {
  const where = vscode.workspace.asRelativePath(file);
  const { client, apiRoot } = await deps.connections.connection();
  const balance = (await client.requester.get()).balance;
  const tolokers = new Set(checked.rows.map((r) => r.bonus.user_id)).size;
  if (balance !== undefined && checked.total > balance) {
    throw new Error(`${where}: the bonuses total ${usd(checked.total)} but the account's balance is ${usd(balance)}. Nothing was sent; top up the account or pay fewer bonuses`);
  }
  const resuming = fs.existsSync(bonusJournalFor(file.fsPath, apiRoot));
  await ctx.prompter.confirm({
    message: `Pay ${checked.rows.length.toLocaleString()} bonus(es), ${usd(checked.total)} in all, to ${tolokers.toLocaleString()} Toloker(s)?`,
    detail: `Balance: ${balance === undefined ? 'unknown' : `${usd(balance)}, ${usd(balance - checked.total)} after`}.${resuming ? ' An earlier run of this file is on record: bonuses it paid are not paid again.' : ''} Results go beside ${where}.`,
    action: 'Pay',
  });
  ctx.onCancel(`Paying paused. ${rerun} to go on: no Toloker is paid twice.`);
  const result = await ctx.withProgress(`Paying bonuses from ${where}`, async (signal, progress) => {
    let reported = 0;
    try {
      return await payBonuses(checked, {
        client, file: file.fsPath, apiRoot, signal,
        onProgress: (p) => {
          const share = p.batches > 0 ? (p.doneBatches / p.batches) * 100 : 0;
          progress.report({ increment: share - reported, message: `${p.paid.toLocaleString()} of ${checked.rows.length.toLocaleString()} paid` });
          reported = share;
        },
      });
    } catch (err) {
      if (isCancellation(err)) throw err;
      throw new Error(`${describeBonusError(err) ?? describeError(err)}. ${rerun} to go on: no Toloker is paid twice`, { cause: err });
    }
  });
  ctx.log.info(`${where}: ${result.paid} bonus(es) paid, ${result.resumed} by an earlier run, ${result.failed} refused; results in ${result.resultsFile}`);
  void ctx.prompter.message(result.failed > 0 ? 'warning' : 'info', `Paid ${result.paid.toLocaleString()} bonus(es)${result.resumed ? ` (${result.resumed.toLocaleString()} more by an earlier run)` : ''}, ${usd(result.amount)} in all${result.failed ? `; ${result.failed.toLocaleString()} refused by Toloka` : ''}. Results: ${vscode.workspace.asRelativePath(result.resultsFile)}`);
  return result;
}

/** The amount and the message of a bonus, asked (the amount within Toloka's limits). */
async function askBonus(prompter: Prompter, who: string, defaultText: string): Promise<{ amount: number; title: string; text: string }> {
  const amount = Number(await prompter.input({ title: `Bonus for ${who}: the amount in US dollars`, value: '0.10', validate: amountProblem }));
  const title = (await prompter.input({ title: 'The bonus message: its title (in English; empty for no message)', value: 'Thank you!' })).trim();
  const text = title ? (await prompter.input({ title: 'The bonus message: its text', value: defaultText })).trim() : '';
  return { amount, title, text };
}

/** One line of a TSV cell: tabs and line breaks would split the row. */
const cell = (text: string): string => text.replace(/[\t\r\n]+/g, ' ');

/**
 * The bonus file for rows of a results TSV: one bonus per assignment (a suite's tasks are rows
 * of one assignment; without assignment ids, one per Toloker), each noting the row it came from.
 */
export function rowBonusFile(rows: readonly ResultRow[], o: { where: string; amount: number; title: string; text: string }): string {
  const seen = new Set<string>();
  const lines = ['worker_id\tassignment_id\tamount\tprivate_comment\twithout_message\tpublic_title\tpublic_message'];
  for (const r of rows) {
    const key = `${r.workerId}/${r.assignmentId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const message = o.title && o.text ? ['false', cell(o.title), cell(o.text)] : ['true', '', ''];
    lines.push([r.workerId, r.assignmentId ?? '', String(o.amount), cell(`${o.where}, line ${r.line + 1}`).slice(0, 500), ...message].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** Pay Bonuses from TSV… (every row checked first, one confirmation, exactly once), a single bonus from a dashboard, and bonuses for the rows of a results TSV (through the same file flow). */
export function registerBonusCommands(context: vscode.ExtensionContext, deps: BonusDeps): void {
  const problems = vscode.languages.createDiagnosticCollection('toloka-bonuses');
  context.subscriptions.push(problems);

  registerCommand(
    context,
    deps,
    Commands.payBonuses,
    async (ctx, arg): Promise<PayResult | undefined> => {
      const file = uriOf(arg) ?? (await pickWorkspaceFile(ctx.prompter, { extensions: ['tsv'], skip: /\.toloka-[\w.-]*$/, title: 'Pay bonuses from which file?', placeHolder: 'A TSV with worker_id, amount and a message (or without_message)', dialogLabel: 'Bonus files' }));
      const where = vscode.workspace.asRelativePath(file);
      const checked = readBonusFile(fs.readFileSync(file.fsPath, 'utf8'));
      problems.delete(file);
      if (checked.problems.length > 0) {
        problems.set(file, checked.problems.map((p) => lineDiagnostic(p.line, p.problems.join('; '), 'Toloka bonuses')));
        const first = checked.problems[0];
        void ctx.prompter.message('error', `${where}: ${checked.problems.length} row(s) with problems (line ${first?.line ?? 0}: ${first?.problems[0] ?? ''}). Nothing was sent; see the Problems panel.`);
        return undefined;
      }
      if (checked.rows.length === 0) throw new Error(`${where}: no bonuses in the file`);
      return await payChecked(ctx, deps, file, checked, 'Run Pay Bonuses again on the same file');
    },
    { failure: 'Could not pay the bonuses' },
  );

  registerCommand(
    context,
    deps,
    Commands.dashboardBonus,
    async ({ prompter, log }, arg) => {
      const t = Target.safeParse(arg);
      if (!t.success) throw new Error('this action is run from a pool dashboard, on a Toloker');
      const { poolId, workerId } = t.data;
      const { amount, title, text } = await askBonus(prompter, `Toloker ${workerId}`, `For your work in pool ${poolId}.`);
      const { client } = await deps.connections.connection();
      const balance = (await client.requester.get()).balance;
      const profile = await client.userMetadata.get(workerId).then(describeToloker, () => '');
      await prompter.confirm({ message: `Pay Toloker ${workerId} a bonus of ${usd(amount)}?`, detail: `${profile ? `Toloker: ${profile}. ` : ''}Balance: ${balance === undefined ? 'unknown' : usd(balance)}. ${title ? `They will read "${title}".` : 'No message is sent.'}`, action: 'Pay' });
      const message = title && text ? { without_message: false, public_title: { EN: title }, public_message: { EN: text } } : { without_message: true, public_title: null, public_message: null };
      try {
        const op = await client.userBonuses.createAsync([{ user_id: workerId, amount, private_comment: `From the dashboard of pool ${poolId}`, ...message }]);
        const done = await client.operations.wait(op, { firstDelayMs: 200, intervalMs: 500 });
        const [entry] = await client.operations.log(done.id);
        const id = entry?.success ? entry.output?.['user_bonus_id'] : undefined;
        if (typeof id !== 'string') throw new Error(`Toloka did not issue the bonus: ${JSON.stringify(entry?.output ?? done.details ?? {})}`);
        log.info(`Toloker ${workerId}: bonus ${id} of ${usd(amount)} paid (pool ${poolId})`);
        void prompter.message('info', `Toloker ${workerId} is paid a bonus of ${usd(amount)}.`);
        return id;
      } catch (err) {
        throw new Error(describeBonusError(err) ?? describeError(err), { cause: err });
      }
    },
    { failure: 'Could not pay the bonus' },
  );

  registerCommand(
    context,
    deps,
    Commands.payRowBonus,
    async (ctx, arg): Promise<PayResult> => {
      const from = await resultRowsFrom(arg, 'cursor');
      if (!from?.selected) throw new Error('open a results TSV and put the cursor on (or select) the rows of the Tolokers to pay');
      const where = vscode.workspace.asRelativePath(from.uri);
      if (from.rows.length === 0) throw new Error(`${where}: no Toloker ids in the selected rows`);
      const workers = [...new Set(from.rows.map((r) => r.workerId))];
      const who = workers.length === 1 ? `Toloker ${workers[0] ?? ''}` : `${workers.length} Tolokers`;
      const { amount, title, text } = await askBonus(ctx.prompter, `${who} (each bonus)`, 'For your work on these tasks.');
      const tsv = rowBonusFile(from.rows, { where, amount, title, text });
      // Named by what it pays: the same rows, amount and message again are the same file, and its journal pays nothing twice.
      const file = vscode.Uri.file(`${from.uri.fsPath.replace(/\.tsv$/, '')}.bonus-${createHash('sha256').update(tsv).digest('hex').slice(0, 10)}.tsv`);
      if (!fs.existsSync(file.fsPath)) fs.writeFileSync(file.fsPath, tsv);
      const checked = readBonusFile(tsv);
      if (checked.problems.length > 0) throw new Error(`the bonuses for ${where} do not check: line ${checked.problems[0]?.line ?? 0}: ${checked.problems[0]?.problems.join('; ') ?? ''}`);
      return await payChecked(ctx, deps, file, checked, `Run Pay Bonuses from TSV on ${vscode.workspace.asRelativePath(file)}`);
    },
    { failure: 'Could not pay the bonus' },
  );
}
