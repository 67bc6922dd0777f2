export * from './api';
export * from './define';
export * from './events';
export * from './wire';
export { ApiErrorSchema, type ApiError } from '../errors';
