// The PKI's result shapes are part of the API contract, so they live with the shared model.
export * from '../../src-shared/model/pki';
