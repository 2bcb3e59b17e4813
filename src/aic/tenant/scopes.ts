// The scopes a tenant administrator may give a service account, as a tree (S4 L4352–4480, the scope tables; the
// shape `{scope, description, childScopes}` is what frodo-lib's EnvServiceAccountScopesApi reads and flattens).
import type { ScopeNode } from './model.js';

const leaf = (scope: string, description: string, childScopes?: ScopeNode[]): ScopeNode => (childScopes ? { scope, description, childScopes } : { scope, description });

export const SERVICE_ACCOUNT_SCOPES: ScopeNode[] = [
  leaf('fr:am:*', 'Access to /am/* API endpoints'),
  leaf('fr:idm:*', 'Access to /openidm/*'),
  leaf('fr:idc:certificate:*', 'Access to certificate API endpoints', [leaf('fr:idc:certificate:read', 'Read-only access to certificate API endpoints')]),
  leaf('fr:idc:content-security-policy:*', 'Access to Content Security Policy API endpoints'),
  leaf('fr:idc:cookie-domain:*', 'Full access to cookie domain API endpoints'),
  leaf('fr:idc:custom-domain:*', 'Access to custom domain endpoints'),
  leaf('fr:idc:esv:*', 'Access to ESV API endpoints', [
    leaf('fr:idc:esv:read', 'Read-only access to ESV API endpoints'),
    leaf('fr:idc:esv:update', 'Create, update, and delete access to ESV API endpoints'),
    leaf('fr:idc:esv:restart', 'Access to ESV API endpoint to restart Advanced Identity Cloud services'),
  ]),
  leaf('fr:idc:promotion:*', 'Access to promotions API endpoints'),
  leaf('fr:idc:release:*', 'Access to release management API endpoints'),
  leaf('fr:idc:sso-cookie:*', 'Access to SSO cookie API endpoints'),
  leaf('fr:idc:analytics:*', 'Access to analytics API endpoints'),
  leaf('fr:idc:dataset:*', 'Access to dataset deletion API endpoints'),
  leaf('fr:idc:mtls:*', 'Access to mTLS (mutual TLS) API endpoints'),
  leaf('fr:idc:proxy-connect:*', 'Full access to Proxy Connect API endpoints', [
    leaf('fr:idc:proxy-connect:read', 'Read-only access to Proxy Connect API endpoints'),
    leaf('fr:idc:proxy-connect:write', 'Write access to Proxy Connect API endpoints'),
  ]),
  leaf('fr:iga:*', 'Access to IGA API endpoints'),
  leaf('fr:idc:ws:admin', 'Access to WS-Federation API endpoints'),
];
