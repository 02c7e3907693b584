import type { ReactNode } from 'react';
import ui from './ui.module.css';

export const VisuallyHidden = ({ children }: { children: ReactNode }) => <span className={ui.visuallyHidden}>{children}</span>;
