/** The handoff form's chunk (lazy: most customers never open it). */
export const loadHandoffForm = () => import('./HandoffForm');
