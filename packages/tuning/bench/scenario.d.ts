import type { HttpRequest } from '../src';

export interface ScenarioRequest {
  kind: 'benign' | 'attack';
  label: string;
  request: HttpRequest;
}

export function scenario(count: number, seed?: number): Generator<ScenarioRequest>;
export function allAttacks(seed?: number): ScenarioRequest[];
export const ATTACKERS: readonly string[];
export function prng(seed: number): () => number;
