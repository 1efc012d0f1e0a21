/**
 * Nonlinear conjugate gradient, step for step as SciPy's `minimize(method="CG")`: Polak-Ribière+
 * directions with a sufficient-descent check, the Moré-Thuente line search (MINPACK-2's dcsrch)
 * for the strong Wolfe conditions, SciPy's first-step guess, and a plain strong-Wolfe search
 * when that fails. GLAD's M-step stops after a few iterations, far from the optimum, so to
 * choose the same labels as crowd-kit the path has to be the same, not only the goal.
 */

/** Value at p, gradient written into `gradient`. */
export type Objective = (p: Float64Array, gradient: Float64Array) => number;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] as number));
  return m;
}

interface Point {
  readonly value: number;
  readonly slope: number;
}
type Line = (step: number) => Point;

/** Minimises f in place from x; stops when no gradient component exceeds gtol or after maxIterations. */
export function conjugateGradient(x: Float64Array, f: Objective, maxIterations: number, gtol: number): void {
  const m = x.length;
  let g = new Float64Array(m);
  let fx = f(x, g);
  let previousF = fx + Math.sqrt(dot(g, g)) / 2;
  let d = new Float64Array(m);
  for (let k = 0; k < m; k++) d[k] = -(g[k] as number);
  const trial = new Float64Array(m);
  let gTrial = new Float64Array(m);
  let nextD = new Float64Array(m);
  let iterations = 0;

  while (maxAbs(g) > gtol && iterations < maxIterations) {
    const gg = dot(g, g);
    let evaluated = NaN;
    const line: Line = (step) => {
      for (let k = 0; k < m; k++) trial[k] = (x[k] as number) + step * (d[k] as number);
      const value = f(trial, gTrial);
      evaluated = step;
      return { value, slope: dot(gTrial, d) };
    };
    /** Polak-Ribière+ direction from the trial point; true if it descends enough. */
    const nextDirection = (): boolean => {
      let yg = 0;
      for (let k = 0; k < m; k++) yg += ((gTrial[k] as number) - (g[k] as number)) * (gTrial[k] as number);
      const beta = Math.max(0, yg / gg);
      for (let k = 0; k < m; k++) nextD[k] = -(gTrial[k] as number) + beta * (d[k] as number);
      return maxAbs(gTrial) <= gtol || dot(nextD, gTrial) <= -0.01 * dot(gTrial, gTrial);
    };
    const slope0 = dot(g, d);
    let first = slope0 !== 0 ? Math.min(1, (1.01 * 2 * (fx - previousF)) / slope0) : 1;
    if (first < 0) first = 1;

    let found = moreThuente(line, fx, slope0, first);
    if (found !== undefined) {
      if (evaluated !== found.step) line(found.step);
      if (!nextDirection()) found = undefined;
    }
    if (found === undefined) {
      found = strongWolfe(line, fx, slope0, first);
      if (found === undefined) break;
      if (evaluated !== found.step) line(found.step);
      nextDirection();
    }
    previousF = fx;
    fx = found.value;
    x.set(trial); // x is the caller's array: the result is written into it
    [g, gTrial] = [gTrial, g];
    [d, nextD] = [nextD, d];
    iterations++;
  }
}

/**
 * Limited-memory BFGS (Nocedal & Wright, alg. 7.4–7.5): the two-loop recursion over the last
 * `memory` steps, the same Moré-Thuente line search from a first step of 1. Minimises f in
 * place from x; stops when no gradient component exceeds gtol, when an iteration lowers f by
 * less than ftol relative to it (SciPy's L-BFGS-B test), or after maxIterations.
 */
export function lbfgs(x: Float64Array, f: Objective, o: { maxIterations: number; gtol: number; ftol: number; memory?: number }): void {
  const m = x.length;
  const memory = o.memory ?? 10;
  let g = new Float64Array(m);
  let fx = f(x, g);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const d = new Float64Array(m);
  const trial = new Float64Array(m);
  let gTrial = new Float64Array(m);
  for (let iteration = 0; iteration < o.maxIterations && maxAbs(g) > o.gtol; iteration++) {
    // d = -H g by the two loops.
    for (let k = 0; k < m; k++) d[k] = -(g[k] as number);
    for (let j = sHist.length - 1; j >= 0; j--) {
      const a = (rho[j] as number) * dot(sHist[j] as Float64Array, d);
      alpha[j] = a;
      const y = yHist[j] as Float64Array;
      for (let k = 0; k < m; k++) d[k] = (d[k] as number) - a * (y[k] as number);
    }
    if (sHist.length > 0) {
      const y = yHist[yHist.length - 1] as Float64Array;
      const gamma = dot(sHist[sHist.length - 1] as Float64Array, y) / dot(y, y);
      for (let k = 0; k < m; k++) d[k] = (d[k] as number) * gamma;
    }
    for (let j = 0; j < sHist.length; j++) {
      const b = (rho[j] as number) * dot(yHist[j] as Float64Array, d);
      const s = sHist[j] as Float64Array;
      for (let k = 0; k < m; k++) d[k] = (d[k] as number) + ((alpha[j] as number) - b) * (s[k] as number);
    }
    let slope0 = dot(g, d);
    if (!(slope0 < 0)) {
      // Not a descent direction (curvature lost): start again from steepest descent.
      sHist.length = yHist.length = rho.length = 0;
      for (let k = 0; k < m; k++) d[k] = -(g[k] as number);
      slope0 = dot(g, d);
    }
    let evaluated = NaN;
    const line: Line = (step) => {
      for (let k = 0; k < m; k++) trial[k] = (x[k] as number) + step * (d[k] as number);
      const value = f(trial, gTrial);
      evaluated = step;
      return { value, slope: dot(gTrial, d) };
    };
    const first = sHist.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    const found = moreThuente(line, fx, slope0, first) ?? strongWolfe(line, fx, slope0, first);
    if (found === undefined) break;
    if (evaluated !== found.step) line(found.step);
    const s = new Float64Array(m);
    const y = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      s[k] = (trial[k] as number) - (x[k] as number);
      y[k] = (gTrial[k] as number) - (g[k] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * dot(y, y)) {
      if (sHist.length === memory) {
        sHist.shift();
        yHist.shift();
        rho.shift();
      }
      sHist.push(s);
      yHist.push(y);
      rho.push(1 / sy);
    }
    const previous = fx;
    fx = found.value;
    x.set(trial);
    [g, gTrial] = [gTrial, g];
    if ((previous - fx) / Math.max(Math.abs(previous), Math.abs(fx), 1) <= o.ftol) break;
  }
}

interface Step {
  readonly step: number;
  readonly value: number;
}

/** MINPACK-2 dcsrch with ftol = 1e-4, gtol = 0.4, xtol = 1e-14, as SciPy's line_search_wolfe1 calls it. */
function moreThuente(line: Line, f0: number, g0: number, first: number): Step | undefined {
  const ftol = 1e-4;
  const gtol = 0.4;
  const xtol = 1e-14;
  const stpmin = 1e-100;
  const stpmax = 1e100;
  if (!(g0 < 0)) return undefined;
  const gtest = ftol * g0;
  let brackt = false;
  let stage = 1;
  let width = stpmax - stpmin;
  let width1 = width / 0.5;
  const s = { stx: 0, fx: f0, gx: g0, sty: 0, fy: f0, gy: g0, brackt: false };
  let stmin = 0;
  let stmax = first + 4 * first;
  let stp = first;
  for (let evals = 0; evals < 100; evals++) {
    const { value: f, slope: g } = line(stp);
    if (!Number.isFinite(f) || !Number.isFinite(g)) return undefined;
    const ftest = f0 + stp * gtest;
    if (stage === 1 && f <= ftest && g >= 0) stage = 2;
    if (brackt && (stp <= stmin || stp >= stmax)) return undefined;
    if (brackt && stmax - stmin <= xtol * stmax) return undefined;
    if (stp === stpmax && f <= ftest && g <= gtest) return undefined;
    if (stp === stpmin && (f > ftest || g >= gtest)) return undefined;
    if (f <= ftest && Math.abs(g) <= gtol * -g0) return { step: stp, value: f };

    s.brackt = brackt;
    if (stage === 1 && f <= s.fx && f > ftest) {
      // Work on the modified function f(stp) - stp * gtest until the interval holds a minimiser.
      const m: Interval = { stx: s.stx, fx: s.fx - s.stx * gtest, gx: s.gx - gtest, sty: s.sty, fy: s.fy - s.sty * gtest, gy: s.gy - gtest, brackt };
      stp = cubicStep(m, stp, f - stp * gtest, g - gtest, stmin, stmax);
      s.stx = m.stx;
      s.sty = m.sty;
      s.fx = m.fx + m.stx * gtest;
      s.fy = m.fy + m.sty * gtest;
      s.gx = m.gx + gtest;
      s.gy = m.gy + gtest;
      s.brackt = m.brackt;
    } else {
      stp = cubicStep(s, stp, f, g, stmin, stmax);
    }
    brackt = s.brackt;
    if (brackt) {
      if (Math.abs(s.sty - s.stx) >= 0.66 * width1) stp = s.stx + 0.5 * (s.sty - s.stx);
      width1 = width;
      width = Math.abs(s.sty - s.stx);
      stmin = Math.min(s.stx, s.sty);
      stmax = Math.max(s.stx, s.sty);
    } else {
      stmin = stp + 1.1 * (stp - s.stx);
      stmax = stp + 4 * (stp - s.stx);
    }
    stp = Math.min(Math.max(stp, stpmin), stpmax);
    if ((brackt && (stp <= stmin || stp >= stmax)) || (brackt && stmax - stmin <= xtol * stmax)) stp = s.stx;
  }
  return undefined;
}

interface Interval {
  stx: number;
  fx: number;
  gx: number;
  sty: number;
  fy: number;
  gy: number;
  brackt: boolean;
}

/** MINPACK-2 dcstep: the next trial step from the interval and the new point; updates the interval. */
function cubicStep(s: Interval, stp: number, fp: number, dp: number, stpmin: number, stpmax: number): number {
  const { stx, fx, gx: dx, sty, fy, gy: dy } = s;
  const sgnd = dp * Math.sign(dx);
  let stpf: number;
  if (fp > fx) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const m = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = m * Math.sqrt((theta / m) ** 2 - (dx / m) * (dp / m));
    if (stp < stx) gamma = -gamma;
    const p = gamma - dx + theta;
    const q = gamma - dx + gamma + dp;
    const stpc = stx + (p / q) * (stp - stx);
    const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
    stpf = Math.abs(stpc - stx) < Math.abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
    s.brackt = true;
  } else if (sgnd < 0) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const m = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = m * Math.sqrt((theta / m) ** 2 - (dx / m) * (dp / m));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dx;
    const stpc = stp + (p / q) * (stx - stp);
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
    s.brackt = true;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
    const m = Math.max(Math.abs(theta), Math.abs(dx), Math.abs(dp));
    let gamma = m * Math.sqrt(Math.max(0, (theta / m) ** 2 - (dx / m) * (dp / m)));
    if (stp > stx) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma + (dx - dp) + gamma;
    const r = p / q;
    const stpc = r < 0 && gamma !== 0 ? stp + r * (stx - stp) : stp > stx ? stpmax : stpmin;
    const stpq = stp + (dp / (dp - dx)) * (stx - stp);
    if (s.brackt) {
      stpf = Math.abs(stpc - stp) < Math.abs(stpq - stp) ? stpc : stpq;
      stpf = stp > stx ? Math.min(stp + 0.66 * (sty - stp), stpf) : Math.max(stp + 0.66 * (sty - stp), stpf);
    } else {
      stpf = Math.abs(stpc - stp) > Math.abs(stpq - stp) ? stpc : stpq;
      stpf = Math.max(stpmin, Math.min(stpmax, stpf));
    }
  } else if (s.brackt) {
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const m = Math.max(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = m * Math.sqrt((theta / m) ** 2 - (dy / m) * (dp / m));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    stpf = stp + (p / q) * (sty - stp);
  } else {
    stpf = stp > stx ? stpmax : stpmin;
  }
  if (fp > fx) {
    s.sty = stp;
    s.fy = fp;
    s.gy = dp;
  } else {
    if (sgnd < 0) {
      s.sty = stx;
      s.fy = fx;
      s.gy = dx;
    }
    s.stx = stp;
    s.fx = fp;
    s.gx = dp;
  }
  return stpf;
}

/** Fallback: bracketing and zooming for the strong Wolfe conditions (Nocedal & Wright, alg. 3.5-3.6). */
function strongWolfe(line: Line, f0: number, g0: number, first: number): Step | undefined {
  const c1 = 1e-4;
  const c2 = 0.4;
  let lo = 0;
  let fLo = f0;
  let gLo = g0;
  let step = first;
  for (let i = 0; i < 10; i++) {
    const { value, slope } = line(step);
    if (value > f0 + c1 * step * g0 || (i > 0 && value >= fLo)) return zoom(lo, fLo, gLo, step, value);
    if (Math.abs(slope) <= -c2 * g0) return { step, value };
    if (slope >= 0) return zoom(step, value, slope, lo, fLo);
    lo = step;
    fLo = value;
    gLo = slope;
    step *= 2;
  }
  return undefined;

  function zoom(aLo: number, fALo: number, gALo: number, aHi: number, fAHi: number): Step | undefined {
    for (let j = 0; j < 30; j++) {
      const width = aHi - aLo;
      const denom = 2 * (fAHi - fALo - gALo * width);
      let a = Number.isFinite(denom) && denom !== 0 ? aLo - (gALo * width * width) / denom : aLo + width / 2;
      if (!(a >= Math.min(aLo, aHi) + 0.1 * Math.abs(width) && a <= Math.max(aLo, aHi) - 0.1 * Math.abs(width))) a = aLo + width / 2;
      const { value, slope } = line(a);
      if (value > f0 + c1 * a * g0 || value >= fALo) {
        aHi = a;
        fAHi = value;
      } else {
        if (Math.abs(slope) <= -c2 * g0) return { step: a, value };
        if (slope * (aHi - aLo) >= 0) {
          aHi = aLo;
          fAHi = fALo;
        }
        aLo = a;
        fALo = value;
        gALo = slope;
      }
    }
    return undefined;
  }
}
