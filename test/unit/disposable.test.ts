import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Disposable } from '../../src/util/disposable';

class Owner extends Disposable {
  take(d: { dispose(): void }): void {
    this.own(d);
  }
}

describe('Disposable', () => {
  it('disposes what it owns once, newest first', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.take({ dispose: () => order.push('a') });
    owner.take({ dispose: () => order.push('b') });
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, ['b', 'a']);
    assert.equal(owner.isDisposed, true);
  });

  it('disposes at once what is handed to it after disposal', () => {
    const owner = new Owner();
    owner.dispose();
    let disposed = false;
    owner.take({ dispose: () => (disposed = true) });
    assert.equal(disposed, true);
  });
});
