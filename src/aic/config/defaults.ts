// Default promotable configuration when a fixture leaves `config` out (issue 5: "the default seed makes dev differ
// from staging in a few items ... including one placeholder whose ESV is missing in staging"). Deterministic: fixed ids.
// Placeholders use the ESVs the ESV area seeds by default (esv-smtp-host, esv-smtp-port, esv-idm-admin-password,
// esv-ldap-url); dev's new `emailTemplate/forgottenUsername` references `&{esv.email.from}`, which staging lacks.
import type { ConfigState, JsonObject } from './model.js';
import AM_DEFAULTS from './data/amDefaults.json' with { type: 'json' };
import { clone } from '../../core/clone.js';

const STYLES = 'body {\n\tbackground-color: #324054;\n\tcolor: #455469;\n\tpadding: 60px;\n\ttext-align: center\n}\n';

function template(displayName: string, subject: string, message: string, extra: JsonObject = {}): JsonObject {
  // recording iga-certification-templates: GET /openidm/config/emailTemplate/<name>
  return { defaultLocale: 'en', displayName, enabled: true, from: '', message: { en: message }, mimeType: 'text/html', subject: { en: subject }, styles: STYLES, ...extra };
}

const LOGIN_NODES: JsonObject = {
  'a1b2c3d4-0001-4000-8000-000000000001': { connections: { outcome: 'a1b2c3d4-0002-4000-8000-000000000002' }, displayName: 'Page Node', nodeType: 'PageNode', x: 136, y: 59 },
  'a1b2c3d4-0002-4000-8000-000000000002': {
    connections: { false: 'e301438c-0bd0-429c-ab0c-66126501069a', true: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0' },
    displayName: 'Data Store Decision',
    nodeType: 'DataStoreDecisionNode',
    x: 315,
    y: 140,
  },
};

// the nodes a journey's `nodes` map points at (recording NodeApi getNode: `_type` carries the node type)
const nodeType = (id: string, name: string) => ({ _id: id, name, collection: true, version: '1.0' });
const PAGE = 'a1b2c3d4-0001-4000-8000-000000000001';
const USERNAME = 'a1b2c3d4-0011-4000-8000-000000000011';
const PASSWORD = 'a1b2c3d4-0012-4000-8000-000000000012';
const DECISION = 'a1b2c3d4-0002-4000-8000-000000000002';
const LOG_NODE = 'a1b2c3d4-0003-4000-8000-000000000003';
const CREATE = 'b0000000-0001-4000-8000-000000000001';

const BASE_NODES: Record<string, JsonObject> = {
  [PAGE]: {
    _type: nodeType('PageNode', 'Page Node'),
    nodes: [
      { _id: USERNAME, nodeType: 'ValidatedUsernameNode', nodeVersion: '1.0', displayName: 'Platform Username' },
      { _id: PASSWORD, nodeType: 'ValidatedPasswordNode', nodeVersion: '1.0', displayName: 'Platform Password' },
    ],
    pageDescription: {},
    pageHeader: { en: 'Sign In' },
  },
  [USERNAME]: { _type: nodeType('ValidatedUsernameNode', 'Platform Username'), usernameAttribute: 'userName', validateInput: false },
  [PASSWORD]: { _type: nodeType('ValidatedPasswordNode', 'Platform Password'), passwordAttribute: 'password', validateInput: false },
  [DECISION]: { _type: nodeType('DataStoreDecisionNode', 'Data Store Decision') },
  [CREATE]: { _type: nodeType('CreateObjectNode', 'Create Object'), identityResource: 'managed/alpha_user' },
};

const SCRIPT_CHECK_USERNAME = '6c49bebe-3a62-11ed-a261-0242ac120002';
const SCRIPT_LOG_LOGIN = '9de3eb62-f131-4fac-a294-7bd63fd4bd3c';

function baseConfig(): ConfigState {
  return {
    idm: {
      'emailTemplate/welcome': template('Welcome', 'Your account has been created', '<html><body><p>Welcome to {{object.givenName}}\'s new account.</p></body></html>'),
      'emailTemplate/resetPassword': template('Reset Password', 'Reset your password', '<h3>Click to reset your password</h3><h4><a href="{{object.resumeURI}}">Password reset link</a></h4>'),
      // recording iga-certification-templates: GET /openidm/config/emailTemplate/certification{Assigned,Reassigned} and the template a test tenant had
      'emailTemplate/FrodoTestEmailTemplate1': {"defaultLocale": "en", "displayName": "Frodo Test Email Template One", "enabled": true, "from": "", "message": {"en": "<h3>Click to reset your password</h3><h4><a href=\"{{object.resumeURI}}\">Password reset link</a></h4>", "fr": "<h3>Cliquez pour réinitialiser votre mot de passe</h3><h4><a href=\"{{object.resumeURI}}\">Mot de passe lien de réinitialisation</a></h4>"}, "mimeType": "text/html", "subject": {"en": "Reset your password", "fr": "Réinitialisez votre mot de passe"}},
      'emailTemplate/certificationAssigned': {"defaultLocale": "en", "enabled": true, "from": "", "html": {"en": "<html><div>Hello, {{object.user.givenName}} {{object.user.sn}}! <br> A certification task for the campaign {{object.campaign.name}} was assigned to you.</div><html>"}, "message": {"en": "<html><head></head><body>Hello, {{object.user.givenName}} {{object.user.sn}}! <br> A certification task for the campaign {{object.campaign.name}} was assigned to you.</body></html>"}, "mimeType": "text/html", "styles": "body {\n\tbackground-color: #324054;\n\tcolor: #455469;\n\tpadding: 60px;\n\ttext-align: center\n}\n\na {\n\ttext-decoration: none;\n\tcolor: #109cf1;\n}\n\n.content {\n\tbackground-color: #fff;\n\tborder-radius: 4px;\n\tmargin: 0 auto;\n\tpadding: 48px;\n\twidth: 235px\n}\n", "subject": {"en": "ATTENTION: Certification Task Assigned"}},
      'emailTemplate/certificationReassigned': {"defaultLocale": "en", "enabled": true, "from": "", "html": {"en": "<html><body>Hello, {{object.user.givenName}} {{object.user.sn}}! <br> A certification task for the campaign {{object.campaign.name}} was reassigned to you.</body></html>"}, "message": {"en": "<html><body>Hello, {{object.user.givenName}} {{object.user.sn}}! <br> A certification task for the campaign {{object.campaign.name}} was reassigned to you.</body></html>"}, "mimeType": "text/html", "styles": "body {\n\tbackground-color: #324054;\n\tcolor: #455469;\n\tpadding: 60px;\n\ttext-align: center\n}\n\na {\n\ttext-decoration: none;\n\tcolor: #109cf1;\n}\n\n.content {\n\tbackground-color: #fff;\n\tborder-radius: 4px;\n\tmargin: 0 auto;\n\tpadding: 48px;\n\twidth: 235px\n}\n", "subject": {"en": "ATTENTION: Certification Task Reassigned"}},
      // S4 L2140–2160: SMTP settings referencing ESVs
      'external.email': {
        host: '&{esv.smtp.host}',
        port: { $int: '&{esv.smtp.port}' },
        auth: { enable: true, username: 'idm-admin', password: '&{esv.idm.admin.password}' },
        from: '"Example Inc" <noreply@example.com>',
        starttls: { enable: true },
        ssl: { enable: false },
      },
      'ui/themerealm': {
        realm: {
          alpha: [{ _id: 'ee6c8e8a-7e3a-4d8f-9e0c-2c4c0e7a9f10', name: 'Starter Theme', isDefault: true, primaryColor: '#324054', backgroundColor: '#324054', buttonRounded: 5, logoAltText: 'Logo' }],
        },
      },
      managed: {
        objects: [
          { name: 'alpha_user', schema: { title: 'Alpha realm - User', properties: { userName: { type: 'string' }, givenName: { type: 'string' }, sn: { type: 'string' }, mail: { type: 'string' } } } },
          { name: 'alpha_role', schema: { title: 'Alpha realm - Role', properties: { name: { type: 'string' }, description: { type: 'string' } } } },
        ],
      },
      // recording ConfigOps exportFullConfiguration: the connector info provider and the sync mappings
      'provisioner.openicf.connectorinfoprovider': { connectorsLocation: 'connectors', remoteConnectorClients: [], remoteConnectorClientsGroups: [], remoteConnectorServers: [], remoteConnectorServersGroups: [] },
      sync: {
        mappings: [
          {
            _id: 'sync/systemLdapAccounts_managedAlpha_user',
            consentRequired: false,
            displayName: 'systemLdapAccounts_managedAlpha_user',
            icon: null,
            name: 'systemLdapAccounts_managedAlpha_user',
            policies: [{ action: 'ASYNC', situation: 'ABSENT' }, { action: 'ASYNC', situation: 'FOUND' }, { action: 'ASYNC', situation: 'MISSING' }],
            properties: [{ source: 'uid', target: 'userName' }, { source: 'mail', target: 'mail' }],
            source: 'system/ldap/account',
            syncAfter: [],
            target: 'managed/alpha_user',
          },
        ],
      },
      'provisioner.openicf/ldap': {
        connectorRef: { bundleName: 'org.forgerock.openicf.connectors.ldap-connector', connectorName: 'org.identityconnectors.ldap.LdapConnector', bundleVersion: '[1.5.0.0,1.6.0.0)' },
        configurationProperties: { host: '&{esv.ldap.url}', port: { $int: '&{esv.ldap.port|1389}' }, principal: 'uid=admin', baseContexts: ['ou=people,dc=example,dc=com'] },
      },
    },
    am: {
      alpha: {
        scripts: {
          [SCRIPT_CHECK_USERNAME]: {
            _id: SCRIPT_CHECK_USERNAME,
            name: 'Check Username',
            description: 'Decision node script: does the username exist',
            language: 'JAVASCRIPT',
            context: 'AUTHENTICATION_TREE_DECISION_NODE',
            evaluatorVersion: '2.0',
            script: 'outcome = nodeState.get("username") ? "true" : "false";',
            default: false,
          },
        },
        trees: {
          Login: { _id: 'Login', description: 'Platform Login Tree', enabled: true, entryNodeId: 'a1b2c3d4-0001-4000-8000-000000000001', identityResource: 'managed/alpha_user', innerTreeOnly: false, nodes: LOGIN_NODES, uiConfig: { categories: '["Authentication"]' } },
          Registration: {
            _id: 'Registration',
            description: 'Platform Registration Tree',
            enabled: true,
            entryNodeId: CREATE,
            identityResource: 'managed/alpha_user',
            innerTreeOnly: false,
            nodes: { [CREATE]: { connections: { CREATED: '70e691a5-1e33-4ac3-a356-e7b6d60d92e0', FAILURE: 'e301438c-0bd0-429c-ab0c-66126501069a' }, displayName: 'Create Object', nodeType: 'CreateObjectNode', x: 160, y: 80 } },
            uiConfig: { categories: '["Registration"]' },
          },
        },
        oauth2Clients: {
          'end-user-ui': {
            _id: 'end-user-ui',
            coreOAuth2ClientConfig: { clientType: 'Public', redirectionUris: ['https://tenant.example.com/enduser/appAuthHelperRedirect.html'], scopes: ['openid', 'fr:idm:*'], status: 'Active' },
            advancedOAuth2ClientConfig: { grantTypes: ['authorization_code', 'implicit'], tokenEndpointAuthMethod: 'none' },
          },
        },
        nodes: clone(BASE_NODES),
        // recording ConfigOps Cloud-Tests exportFullConfiguration 4: the alpha realm's services and secret store
        entities: clone(AM_DEFAULTS.realm) as Record<string, JsonObject>,
      },
      // every tenant has a bravo realm with the same services (recording RealmOps/getRealms)
      bravo: { scripts: {}, trees: {}, oauth2Clients: {}, nodes: {}, entities: clone(AM_DEFAULTS.realm) as Record<string, JsonObject> },
    },
    // recording ConfigOps Cloud-Tests exportFullConfiguration 5: global CORS and dashboard services
    amGlobal: clone(AM_DEFAULTS.global) as Record<string, JsonObject>,
  };
}

/** The configuration an AIC environment starts with. dev carries unpromoted work; staging and prod are identical. */
export function defaultConfig(envName: string, isDevelopment: boolean): ConfigState {
  const config = baseConfig();
  if (!isDevelopment) {
    // staging/prod only: a client dev has since removed (shows as `deleted` in the promotion report)
    config.am.alpha!.oauth2Clients['legacy-portal'] = {
      _id: 'legacy-portal',
      coreOAuth2ClientConfig: { clientType: 'Confidential', redirectionUris: ['https://legacy.example.com/callback'], scopes: ['openid', 'profile'], status: 'Active' },
      advancedOAuth2ClientConfig: { grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'client_secret_basic' },
    };
    return config;
  }
  void envName;
  // S4 L3563: the documented report shows "Forgotten Username" added under "Email > Templates"
  config.idm['emailTemplate/forgottenUsername'] = template('Forgotten Username', 'Account Information - username', '<h3>{{object.userName}} is your username.</h3>', { from: '&{esv.email.from}' });
  (config.idm['emailTemplate/welcome']!.subject as JsonObject).en = 'Welcome to Example Inc';
  config.am.alpha!.trees.Login!.nodes = {
    ...LOGIN_NODES,
    [LOG_NODE]: { connections: { true: DECISION }, displayName: 'Log Login Attempt', nodeType: 'ScriptedDecisionNode', x: 220, y: 100 },
  };
  config.am.alpha!.nodes[LOG_NODE] = { _type: nodeType('ScriptedDecisionNode', 'Scripted Decision'), script: SCRIPT_LOG_LOGIN, outcomes: ['true'], outputs: ['*'], inputs: ['*'] };
  config.am.alpha!.scripts[SCRIPT_LOG_LOGIN] = {
    _id: SCRIPT_LOG_LOGIN,
    name: 'Log Login Attempt',
    description: 'Logs each login attempt (no PII)',
    language: 'JAVASCRIPT',
    context: 'AUTHENTICATION_TREE_DECISION_NODE',
    evaluatorVersion: '2.0',
    script: 'logger.info("login attempt"); outcome = "true";',
    default: false,
  };
  return config;
}
