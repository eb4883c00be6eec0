/**
 * The modals each person has open: a stack of view ids, the top one shown. views.open starts a stack,
 * views.push and `response_action: push` add to it, Back and Close take the top one off, `clear` empties it.
 */
export class ModalStacks {
  private readonly stacks = new Map<string, string[]>();

  open(user: string, viewId: string): void {
    this.stacks.set(user, [viewId]);
  }

  push(user: string, viewId: string): void {
    this.stacks.set(user, [...this.list(user), viewId]);
  }

  top(user: string): string | undefined {
    return this.list(user).at(-1);
  }

  /** Bottom first. */
  list(user: string): string[] {
    return [...(this.stacks.get(user) ?? [])];
  }

  /** Takes the top view off; returns its id. */
  pop(user: string): string | undefined {
    const stack = this.list(user);
    const popped = stack.pop();
    if (stack.length === 0) this.stacks.delete(user);
    else this.stacks.set(user, stack);
    return popped;
  }

  /** Closes every view; returns their ids, bottom first. */
  clear(user: string): string[] {
    const stack = this.list(user);
    this.stacks.delete(user);
    return stack;
  }

  reset(): void {
    this.stacks.clear();
  }

  dump(): [string, string[]][] {
    return [...this.stacks].map(([user, stack]) => [user, [...stack]]);
  }

  load(stacks: readonly (readonly [string, readonly string[]])[]): void {
    this.stacks.clear();
    for (const [user, stack] of stacks) if (stack.length > 0) this.stacks.set(user, [...stack]);
  }
}
