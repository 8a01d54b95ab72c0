export function minimumNodeVersion(): string;
export function oldNodeRefusal(version: string, minimum?: string): string | undefined;
