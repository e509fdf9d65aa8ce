// Alerts on Azure: everything `azd up` creates. No storage keys anywhere: the app and the Functions
// host reach storage, Key Vault and Application Insights with one user-assigned managed identity.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; resource names derive from it.')
param environmentName string

@minLength(1)
@description('Azure region for every resource (Flex Consumption must be available there).')
param location string

@secure()
@description('SendGrid API key, stored in Key Vault. Leave empty to set it later (see README, Deploy).')
param sendGridApiKey string = ''

@description('Sender address of digest emails (a verified SendGrid sender).')
param emailFrom string = 'alerts@example.com'

@secure()
@minLength(32)
@description('HMAC key for subscriber tokens (confirm, unsubscribe), stored in Key Vault.')
param signingKey string

@description('Six-field NCrontab schedule of the poll timer.')
param pollSchedule string = '0 */15 * * * *'

@description('Six-field NCrontab schedule of the digest timer.')
param digestSchedule string = '0 0 * * * *'

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  params: {
    name: 'id-alerts-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: {
    name: 'alerts-${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: {
    name: 'stalerts${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  scope: group
  params: {
    name: 'kv-alerts-${take(token, 12)}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    sendGridApiKey: sendGridApiKey
    signingKey: signingKey
  }
}

module functions 'modules/functionapp.bicep' = {
  scope: group
  params: {
    name: 'func-alerts-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    tableEndpoint: storage.outputs.tableEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    appInsightsConnectionString: monitoring.outputs.connectionString
    sendGridApiKeySecretUri: vault.outputs.sendGridApiKeySecretUri
    signingKeySecretUri: vault.outputs.signingKeySecretUri
    emailFrom: emailFrom
    pollSchedule: pollSchedule
    digestSchedule: digestSchedule
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functions.outputs.name
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output ALERTS_PUBLIC_BASE_URL string = functions.outputs.url
