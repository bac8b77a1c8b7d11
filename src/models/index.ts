export * from './spec';
export * from './shapes';
export * from './builder';
export * from './adapters';
export * from './presets';
export * from './edit';
export * from './conv-filter-gradient';
