// The Function App on the Flex Consumption plan (.NET 10 isolated), with every Alerts setting.
param name string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param tableEndpoint string
param queueEndpoint string
param appInsightsConnectionString string
param sendGridApiKeySecretUri string
param signingKeySecretUri string
param emailFrom string
param pollSchedule string
param digestSchedule string
@description('App Service authentication (Entra ID) is configured in front of the app: the console then believes the signed-in principal')
param appServiceAuthentication bool = false

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // The Functions host: identity-based storage, no connection string.
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // DefaultAzureCredential picks the user-assigned identity by this id.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        // Alerts: one set of names everywhere (see README, Configuration).
        { name: 'Alerts__Storage__TableServiceUri', value: tableEndpoint }
        // The poll fan-out: the app enqueues here; the PollFeed trigger listens through AzureWebJobsStorage, the same account.
        { name: 'Alerts__Storage__QueueServiceUri', value: queueEndpoint }
        { name: 'Alerts__SendGrid__ApiKey', value: '@Microsoft.KeyVault(SecretUri=${sendGridApiKeySecretUri})' }
        { name: 'Alerts__SendGrid__Host', value: 'https://api.sendgrid.com' }
        { name: 'Alerts__Email__From', value: emailFrom }
        { name: 'Alerts__Email__OutboxDirectory', value: '/tmp/alerts-outbox' }
        { name: 'Alerts__Schedules__Poll', value: pollSchedule }
        { name: 'Alerts__Schedules__Digest', value: digestSchedule }
        { name: 'Alerts__Schedules__Prune', value: '0 30 3 * * *' }
        // Past one queue batch of due feeds, the timer fans out through the poll-feeds queue (README, Scaling out).
        { name: 'Alerts__Queue__Mode', value: 'Auto' }
        { name: 'Alerts__Retention__SeenItemsDays', value: '90' }
        { name: 'Alerts__Retention__RecentItemsDays', value: '30' }
        { name: 'Alerts__Retention__DigestsDays', value: '180' }
        { name: 'Alerts__Retention__AuditDays', value: '365' }
        { name: 'Alerts__Fetch__AllowPrivateNetworks', value: 'false' }
        { name: 'Alerts__Fetch__TimeoutSeconds', value: '30' }
        { name: 'Alerts__Fetch__MaxBytes', value: '10485760' }
        { name: 'Alerts__Fetch__Concurrency', value: '16' }
        { name: 'Alerts__PublicBaseUrl', value: 'https://${name}.azurewebsites.net' }
        { name: 'Alerts__Security__SigningKey', value: '@Microsoft.KeyVault(SecretUri=${signingKeySecretUri})' }
        // The Functions host hands every request to the worker over loopback, with the front end's
        // X-Forwarded-For: believe that header from loopback only, so the per-address limit sees the client.
        { name: 'Alerts__Api__TrustedProxies__0', value: '127.0.0.1' }
        { name: 'Alerts__Api__TrustedProxies__1', value: '::1' }
        { name: 'Alerts__Api__PublicRequestsPerMinute', value: '30' }
        // Only true when Entra ID sits in front: otherwise anyone could send the principal header.
        { name: 'Alerts__Admin__AppServiceAuthentication', value: string(appServiceAuthentication) }
        { name: 'Alerts__Admin__PublicHeadlines', value: 'false' }
        { name: 'Alerts__Admin__SessionHours', value: '8' }
        { name: 'Alerts__Matching__FetchArticles', value: 'true' }
        { name: 'Alerts__Matching__MaxArticlesPerCycle', value: '50' }
        { name: 'Alerts__Matching__CacheSize', value: '5000' }
      ]
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'
