export interface DeployConfig {
  service: string | undefined;
  image: string | undefined;
  proxy: Record<string, string> & { healthcheck: Record<string, string> };
  clear: Record<string, string>;
  secret: string[];
  volumes: string[];
  builder: Record<string, string>;
}

export function readDeployConfig(path: string): DeployConfig;
