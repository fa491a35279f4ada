// Undo and redo of the structural changes (a domain or relay added or removed, a config loaded,
// imported or opened from a share link): each step keeps the whole config as JSON text, with
// words for what the step did. Memory only: the history is never stored anywhere.

export const HISTORY_DEPTH = 50;

export function createHistory(depth = HISTORY_DEPTH) {
  const undoStack = [];
  const redoStack = [];
  return {
    /** Records the config as it was before the change `label` (JSON text). */
    record(label, before) {
      undoStack.push({ label, json: before });
      if (undoStack.length > depth) undoStack.shift();
      redoStack.length = 0;
    },
    /** The step to undo, given the config now (JSON text): {label, json} to restore, or null. */
    undo(now) {
      const step = undoStack.pop();
      if (!step) return null;
      redoStack.push({ label: step.label, json: now });
      return step;
    },
    redo(now) {
      const step = redoStack.pop();
      if (!step) return null;
      undoStack.push({ label: step.label, json: now });
      return step;
    },
    /** An edit that is not a step (typing) makes the steps undone stale: Redo would lose it. */
    dropRedo() {
      redoStack.length = 0;
    },
    nextUndo: () => undoStack.at(-1)?.label ?? null,
    nextRedo: () => redoStack.at(-1)?.label ?? null,
  };
}
