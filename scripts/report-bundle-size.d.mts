export declare const firstLoadBudgetKb: number;

export declare function firstLoadJavaScript(dist?: string): {
  gzipBytes: number;
  rawBytes: number;
  files: string[];
};
