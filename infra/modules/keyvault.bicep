// Secrets the app reads through Key Vault references: the SendGrid key and the token signing key.
param name string
param location string
param tags object
param principalId string

@secure()
param sendGridApiKey string

@secure()
param signingKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    enablePurgeProtection: true
  }
}

// An empty placeholder keeps the reference valid until an operator sets the real key (README, Deploy).
resource sendGrid 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'sendgrid-api-key'
  properties: {
    value: empty(sendGridApiKey) ? 'unset' : sendGridApiKey
  }
}

resource signing 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'signing-key'
  properties: {
    value: signingKey
  }
}

// Key Vault Secrets User: read secret values, nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

output name string = vault.name
// Versionless URIs: the app picks up a rotated secret without a redeploy.
output sendGridApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${sendGrid.name}'
output signingKeySecretUri string = '${vault.properties.vaultUri}secrets/${signing.name}'
