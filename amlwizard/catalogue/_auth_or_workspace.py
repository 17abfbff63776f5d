# ruff: noqa: E501 - example log lines are kept whole, as real logs print them
"""Family ``auth-or-workspace``: Who may do what, and what exists: 401/403, identities, workspaces, models, services not found.

One module a family (the module is named after it); the guide's own entry, when the family has one, comes
first. Ids, steps and remedies follow "Troubleshooting remote model deployment"; explanations are our own.
"""

from __future__ import annotations

from . import _facts
from ._entry import DOC_AUTH, DOC_CONSUME, DOC_ROLES, DOC_V2, DOC_WORKSPACE, Entry

__all__ = [
    "HTTP_401_403",
    "AUTHORIZATION_FAILED",
    "SERVICE_PRINCIPAL_NOT_FOUND",
    "WORKSPACE_NOT_FOUND",
    "MODEL_NOT_REGISTERED",
    "COMPUTE_TARGET_NOT_FOUND",
    "WEBSERVICE_NOT_FOUND",
    "ACCESS_REFUSED",
    "RESOURCE_NOT_FOUND",
    "REGISTRY_ACCESS_DENIED",
    "CREDENTIAL_TYPE_MISMATCH",
]


HTTP_401_403 = Entry(
    id="http-401-403",
    family="auth-or-workspace",
    title="HTTP 401/403: the caller is not authenticated or not allowed",
    step=None,
    anchors=(
        "Code: 401",
        "Code: 403",
        "401 Unauthorized",
        "403 Forbidden",
        "401 Client Error",
        "403 Client Error",
    ),
    pattern=r"Response Code: 40[13]\b|401 Unauthorized|403 Forbidden|40[13] Client Error",
    explanation=(
        "The workspace or the service refused the call. For a scoring call: the key or token is missing "
        "or wrong (auth is on by default for AKS). For a workspace call: the identity is signed in but "
        "lacks a role on the workspace."
    ),
    remedies=(
        "Scoring call: send 'Authorization: Bearer <key>' with a key from service.get_keys() (or a "
        "token from service.get_token() when token auth is on).",
        "Workspace call: ask the workspace owner for the AzureML Data Scientist (or Contributor) role on "
        "the workspace, then sign in again.",
    ),
    remedies_v2=(
        "Scoring call: send 'Authorization: Bearer <key>' with ml_client.online_endpoints.get_keys(<endpoint>).primary_key (auth_mode key), or its access_token (aml_token).",
        "Workspace call: ask the workspace owner for the AzureML Data Scientist (or Contributor) role on the workspace, then sign in again.",
    ),
    doc_url=DOC_CONSUME,
    examples=(
        "Received bad response from service. More information can be found by calling `.get_logs()` "
        "on the webservice object.\nResponse Code: 401\nContent: b''",
        "requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://westeurope.api."
        "azureml.ms/modelmanagement/v1.0/subscriptions/xxx/services",
    ),
    near_misses=(
        "Response Code: 200\nContent: b'[401.2, 403.7]'",
        "POST /score HTTP/1.1 200 401",
    ),
    confidence=0.75,
    facts=_facts.authorization,
)


AUTHORIZATION_FAILED = Entry(
    id="authorization-failed",
    family="auth-or-workspace",
    title="AuthorizationFailed: the identity has no role for this action",
    step=None,
    anchors=("AuthorizationFailed",),
    pattern=r"AuthorizationFailed",
    explanation=(
        "Azure Resource Manager refused the action for this identity (user, service principal or "
        "managed identity): no role assignment grants it on that scope."
    ),
    remedies=(
        "Ask an owner to assign a role granting the action on the scope named in the message (e.g. "
        "AzureML Data Scientist on the workspace); role changes can take minutes to apply.",
        "Check you are signed in to the right tenant and subscription (az account show).",
    ),
    doc_url=DOC_ROLES,
    examples=(
        "(AuthorizationFailed) The client 'ana@contoso.com' with object id '0f1e2d3c-aaaa-bbbb-cccc-"
        "123456789abc' does not have authorization to perform action 'Microsoft.MachineLearningServices/"
        "workspaces/read' over scope '/subscriptions/xxx/resourceGroups/ml-rg/providers/Microsoft."
        "MachineLearningServices/workspaces/ml-ws' or the scope is invalid.",
        '{"error": {"code": "AuthorizationFailed", "message": "The client has no access."}}',
    ),
    near_misses=(
        "Authorization succeeded for action Microsoft.MachineLearningServices/workspaces/read",
        "Role assignment created: AzureML Data Scientist",
    ),
    confidence=0.85,
    facts=_facts.authorization,
)


SERVICE_PRINCIPAL_NOT_FOUND = Entry(
    id="service-principal-not-found",
    family="auth-or-workspace",
    title="The service principal used to sign in does not exist (or its secret is wrong)",
    step=None,
    anchors=("ServicePrincipalNotFound", "AADSTS700016", "AADSTS7000215"),
    pattern=r"ServicePrincipalNotFound|AADSTS700016|AADSTS7000215",
    explanation=(
        "ServicePrincipalAuthentication was given an application (client) id that does not exist in the "
        "tenant, or a secret that does not belong to it; Azure AD refuses the sign-in."
    ),
    remedies=(
        "Check tenant_id, service_principal_id and the secret passed to ServicePrincipalAuthentication "
        "(az ad sp show --id <app-id>).",
        "Create a new client secret if it expired, and store it in a key vault, not in code.",
    ),
    remedies_v2=(
        "Check the tenant id, client id and secret the credential uses (ClientSecretCredential, or AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET for DefaultAzureCredential): az ad sp show --id <app-id>.",
        "Create a new client secret if it expired, and store it in a key vault, not in code.",
    ),
    doc_url=DOC_AUTH,
    examples=(
        "AADSTS700016: Application with identifier '11111111-2222-3333-4444-555555555555' was not found "
        "in the directory 'contoso.onmicrosoft.com'.",
        '"code": "ServicePrincipalNotFound", "message": "Service principal 1111 was not found in tenant."',
    ),
    near_misses=(
        "Signed in as service principal 11111111-2222-3333-4444-555555555555",
        "AADSTS50076: Due to a configuration change you must use multi-factor authentication",
    ),
    confidence=0.88,
)


WORKSPACE_NOT_FOUND = Entry(
    id="workspace-not-found",
    family="auth-or-workspace",
    title="The workspace was not found (name, resource group or subscription)",
    step=None,
    anchors=(
        "Workspace not found",
        "WorkspaceNotFound",
        "ResourceNotFound",
        "No workspaces found",
        "The workspace configuration file",
        "MissingSubscriptionRegistration",
    ),
    pattern=r"Workspace not found|WorkspaceNotFound|ResourceNotFound.{0,300}workspaces/|No workspaces found"
    r"|The workspace configuration file config\.json, could not be found|MissingSubscriptionRegistration",
    explanation=(
        "No workspace with that name exists in that resource group and subscription, or the identity "
        "cannot see it (a missing role can look like not found)."
    ),
    remedies=(
        "Check subscription_id, resource_group and workspace_name (or config.json from the portal's "
        "'Download config.json'); Workspace.from_config() reads it.",
        "List what you can see: Workspace.list(subscription_id).",
    ),
    remedies_v2=(
        "Check subscription_id, resource_group_name and workspace_name given to MLClient (or config.json, which MLClient.from_config() reads).",
        "List what you can see: az ml workspace list -g <resource group>.",
    ),
    doc_url=DOC_WORKSPACE,
    examples=(
        "ProjectSystemException: ProjectSystemException:\n\tMessage: Workspace not found.",
        "(ResourceNotFound) The Resource 'Microsoft.MachineLearningServices/workspaces/ml-ws' under "
        "resource group 'ml-rg' was not found.",
        # github.com/MicrosoftLearning (DP-100 lab)
        "WorkspaceException: WorkspaceException:\n\tMessage: No workspaces found with name=dp-100-mlstudio in "
        'subscription=""',
    ),
    near_misses=(
        "Found workspace ml-ws at subscriptions/xxx/resourceGroups/ml-rg/providers/Microsoft."
        "MachineLearningServices/workspaces/ml-ws",
        "Workspace ml-ws loaded from config.json",
    ),
    confidence=0.84,
    facts=_facts.named_resource,
)


MODEL_NOT_REGISTERED = Entry(
    id="model-not-registered",
    family="auth-or-workspace",
    title="The model (or that version) is not registered in the workspace",
    step=None,
    anchors=("Model/Version", "ModelNotFound:"),
    pattern=r"Model/Version [^ ]{1,300} not found in workspace|ModelNotFound: Model",
    explanation=(
        "The workspace has no model by that name (or not that version). Names are exact: dash and "
        "underscore differ. The message lists the models that do exist."
    ),
    remedies=(
        "Compare with the registered names and versions: Model.list(ws).",
        "Register the model first: Model.register(ws, model_path=..., model_name=...).",
    ),
    remedies_v2=(
        "Compare with the registered names and versions: ml_client.models.list() and ml_client.models.list(name=<name>).",
        "Register the model first: ml_client.models.create_or_update(Model(path=..., name=...)).",
    ),
    doc_url=DOC_WORKSPACE,
    examples=(
        "\tMessage: Model/Version credit_model/None not found in workspace. ['credit-model/1', "
        "'credit-model/2', 'sklearn-diabetes/3']",
        "WebserviceException: ModelNotFound: Model with id credit-model:7 not found in provided workspace",
    ),
    near_misses=(
        "Model credit-model:2 found in workspace ml-ws",
        "Registering model credit-model",
    ),
    confidence=0.96,
    facts=_facts.model_not_found,
)


COMPUTE_TARGET_NOT_FOUND = Entry(
    id="compute-target-not-found",
    family="auth-or-workspace",
    title="The compute target (AKS cluster) is not attached to the workspace",
    step=None,
    anchors=("ComputeTargetNotFound", "Compute Target with name"),
    pattern=r"ComputeTargetNotFound|Compute Target with name [^ ]{1,300} not found",
    explanation=(
        "AksCompute(ws, '<name>') or the deployment named a compute target the workspace does not have "
        "(never attached, detached, or a typo)."
    ),
    remedies=(
        "List attached targets: ws.compute_targets; attach the cluster with "
        "ComputeTarget.attach(ws, name, AksCompute.attach_configuration(...)).",
    ),
    remedies_v2=(
        "Kubernetes online endpoint: attach the cluster (with the Azure ML extension) to the workspace and name it as the endpoint's compute; ml_client.compute.list() shows what is attached. A managed endpoint needs none.",
    ),
    doc_url=f"{DOC_WORKSPACE}",
    examples=(
        "ComputeTargetException: ComputeTargetException:\n\tMessage: ComputeTargetNotFound: Compute "
        "Target with name aks-gpu not found in provided workspace",
        '"code": "ComputeTargetNotFound", "message": "Compute target aks-prod was not found."',
    ),
    near_misses=(
        "Compute Target with name aks-gpu is in state Succeeded",
        "Found existing compute target aks-gpu",
    ),
    confidence=0.84,
    facts=_facts.named_resource,
)


WEBSERVICE_NOT_FOUND = Entry(
    id="webservice-not-found",
    family="auth-or-workspace",
    title="No web service with that name in the workspace",
    step=None,
    anchors=("WebserviceNotFound",),
    pattern=r"WebserviceNotFound",
    explanation=(
        "Webservice(ws, '<name>') found no service by that name: it was deleted, never deployed, or "
        "lives in another workspace."
    ),
    remedies=("List the services: ws.webservices (or `amlwizard services`).",),
    doc_url=DOC_WORKSPACE,
    examples=(
        "WebserviceException: WebserviceException:\n\tMessage: WebserviceNotFound: Webservice with name "
        "churn-svc not found in provided workspace",
        '{"code": "WebserviceNotFound", "statusCode": 404}',
    ),
    remedies_v2=(
        "List the endpoints and their deployments: ml_client.online_endpoints.list(), ml_client.online_deployments.list(<endpoint>) (or `amlwizard endpoints`).",
    ),
    near_misses=(
        "Webservice churn-svc found, state Healthy",
        "Webservice with name churn-svc already exists",
    ),
    confidence=0.84,
    facts=_facts.named_resource,
)


ACCESS_REFUSED = Entry(
    id="access-refused",
    family="auth-or-workspace",
    title="A key, token or identity was refused, or lacks the permission the call needs",
    step=None,
    anchors=(
        "Unauthorized",
        "key_auth_access_denied",
        "HTTP Status Code=403",
        "This request is not authorized",
        "Endpoint identity does not have",
        "Failed to retrieve a token",
        "DeploymentIdentityError",
        "Access to workspace was denied",
        "AuthenticationFailed",
    ),
    pattern=r"Unauthorized.{0,60}auth header|Unauthorized, no Authorization header|key_auth_access_denied"
    r"|HTTP Status Code=403|This request is not authorized to perform this operation"
    r"|Endpoint identity does not have [a-z ]{0,20}permission|Failed to retrieve a token|DeploymentIdentityError"
    r"|Access to workspace was denied|AuthenticationFailed",
    explanation=(
        "Nothing is wrong with the model: the call was refused. A scoring call without the key (or with "
        "an old one) gets 401; a managed identity (of the endpoint, the cluster or the compute) that lacks "
        "a role on the workspace's storage, registry or key vault gets 403; a private-link workspace "
        "refuses calls from outside its network."
    ),
    remedies=(
        "Scoring: send `Authorization: Bearer <key>` with a current key (service.get_keys() / "
        "ml_client.online_endpoints.get_keys(name).primary_key).",
        "Managed identity: give it the role the message names (AcrPull on the registry, Storage Blob Data "
        "Reader on the storage account, Key Vault Secrets User), then redeploy.",
        "Private link: call from inside the workspace's virtual network, or allow public access.",
    ),
    remedies_v2=(
        "Scoring: send `Authorization: Bearer <key>` with a current key (ml_client.online_endpoints.get_keys(name).primary_key).",
        "Managed identity: give it the role the message names (AcrPull on the registry, Storage Blob Data Reader on the storage account, Key Vault Secrets User), then redeploy.",
        "Private link: call from inside the workspace's virtual network, or allow public access.",
    ),
    doc_url=DOC_AUTH,
    examples=(
        # github.com/Azure/MachineLearningNotebooks (an AKS service with key auth on by default)
        "I have deployed the Azure ML Model onto ACI and AKS. I can pass in the inputs in for ACI, and get "
        "the scores back. But for AKS, it says Unauthorized and requires an auth header.",
        # github.com/Azure/azureml-examples (managed endpoint identity and the registry)
        "I get the error: BadArgument: Endpoint identity does not have pull permission on the registry..",
        'When trying to replicate the below tutorial i got "key_auth_access_denied" running the below '
        "command",
    ),
    near_misses=(
        "auth_enabled=True: callers must send a key",
        "Authorized users: student07@contoso.com",
    ),
    confidence=0.84,
)


RESOURCE_NOT_FOUND = Entry(
    id="resource-not-found",
    family="auth-or-workspace",
    title="The endpoint, deployment, model or compute named does not exist where it was looked for",
    step=None,
    anchors=(
        "ModelNotFound",
        "NotFoundComputeResource",
        "The specified resource was not found",
        "Deployment ",
        "Compute Resource",
    ),
    pattern=r"ModelNotFound\)|NotFoundComputeResource|The specified resource was not found"
    r"|Deployment (name )?[A-Za-z0-9_-]{1,80} not found|Compute Resource [^ ]{1,80} doesn.t exist",
    explanation=(
        "A name in the call does not match anything in this workspace: a typo, another workspace or "
        "region, a model version or deployment deleted, or a resource created under another name."
    ),
    remedies=(
        "List what exists: ml_client.online_endpoints.list(), ml_client.online_deployments.list(endpoint), "
        "ml_client.models.list(name), ml_client.compute.list() (SDK v1: ws.webservices, Model.list(ws)).",
        "Check that config.json / MLClient points at the workspace (subscription, resource group, name) "
        "where the resource was created.",
    ),
    remedies_v2=(
        "List what exists: ml_client.online_endpoints.list(), ml_client.online_deployments.list(endpoint), ml_client.models.list(name), ml_client.compute.list().",
        "Check that config.json / MLClient points at the workspace (subscription, resource group, name) where the resource was created.",
    ),
    doc_url=DOC_WORKSPACE,
    examples=(
        # github.com/Azure/azureml-examples and github.com/Azure/azure-cli-extensions (SDK/CLI v2)
        "ERROR: (UserError) The specified resource was not found.\nException Details:\t(ModelNotFound) Model "
        "container with name: patient-model not found.",
        "ValidationException: Deployment name blue not found for this endpoint",
        'Content: b\'{"code":"NotFound","statusCode":404,"message":"The specified resource was not '
        'found","details":[{"code":"NotFoundComputeResource","message":"Compute Resource '
        "$(AKS_COMPUTE_NAME) doesn\\'t exist.\"}]}'",
    ),
    near_misses=(
        "Deployment blue created in endpoint churn",
        "Compute Resource aks-cpu is Succeeded",
    ),
    confidence=0.8,
)


REGISTRY_ACCESS_DENIED = Entry(
    id="registry-access-denied",
    family="auth-or-workspace",
    title="The image cannot be pulled: the registry refuses the compute's identity or credentials",
    step=3,
    anchors=(
        "InaccessibleImage",
        "Please check the image and registry credential",
        "ACRAuthenticationChallengeFailed",
        "ACRTokenExchangeFailed",
        "ACRSecretError",
        "TokenRefreshFailed",
        "GetAADTokenFailed",
        "UNAUTHORIZED",
    ),
    pattern=r"InaccessibleImage|Please check the image and registry credential|ACRAuthenticationChallengeFailed"
    r"|ACRTokenExchangeFailed|ACRSecretError|TokenRefreshFailed|GetAADTokenFailed"
    r"|UNAUTHORIZED.{0,80}(token validation failed|authentication required)",
    explanation=(
        "The image was built, but the compute target could not pull it from the workspace's container "
        "registry: its identity (or the registry credentials ACI was given) is refused, the registry is "
        "behind a network the compute cannot reach, or the admin account was disabled."
    ),
    remedies=(
        "Give the compute's identity AcrPull on the workspace's registry (`az aks update --attach-acr`, or "
        "a role assignment for the endpoint's managed identity).",
        "ACI: check the registry's admin user is enabled (SDK v1 uses its credentials) or use a managed "
        "identity; Kubernetes: check the Azure ML extension's identity and the cluster's outbound network.",
    ),
    doc_url=f"{DOC_V2}#error-imagepullloopbackoff",
    examples=(
        # github.com/microsoft/fara (the image fetcher of a managed online deployment, ACR token refused)
        '{"level":"WARN","msg":"exchange refresh token return non-success status: 401, details: '
        '{\\"errors\\":[{\\"code\\":\\"UNAUTHORIZED\\",\\"message\\":\\"token validation failed: the '
        'received access token has unknown tenantId \\"<TENANT_ID_REDACTED>\\"\\"}]}"}',
        # github.com/Azure/MachineLearningNotebooks (ACI)
        "error: ACI Service request failed. Reason: The image 'container-registry.azurecr.io/model-1:1' in "
        "container group 'model-1' is not accessible. Please check the image and registry credential..",
        'Error:\n{\n  "code": "InaccessibleImage",',
    ),
    near_misses=(
        "Pulling image mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest",
        "registry: myacr.azurecr.io (admin user enabled)",
    ),
    confidence=0.86,
)


CREDENTIAL_TYPE_MISMATCH = Entry(
    id="credential-type-mismatch",
    family="auth-or-workspace",
    title="A credential object of another kind than the SDK expects (no get_token, no SAS token)",
    step=None,
    anchors=("get_token", "Credentials' object has no attribute"),
    pattern=r"object has no attribute .get_token|Credentials' object has no attribute",
    explanation=(
        "Newer Azure SDK clients ask their credential for a token with get_token(); credentials of the "
        "older libraries (AdalAuthentication, ServicePrincipalCredentials, msrestazure) do not have it, "
        "so signing in fails after a package upgrade although the identity is fine. The same kind of "
        "message names a datastore credential: a datastore registered without credentials "
        "(NoneCredentials, identity-based access) has no key or SAS token to upload code or models with."
    ),
    remedies=(
        "Use an azure-identity credential (ServicePrincipalAuthentication / InteractiveLoginAuthentication "
        "for SDK v1 workspaces, DefaultAzureCredential or ClientSecretCredential for SDK v2).",
        "Pin the Azure packages the environment mixes to versions released together (azureml-core and "
        "the azure-mgmt-* it requires).",
        "For a datastore without credentials, give your identity (and the workspace's) Storage Blob Data "
        "Contributor on the account, or register the default datastore with a key or SAS.",
    ),
    remedies_v2=(
        "Give MLClient an azure-identity credential: DefaultAzureCredential() or ClientSecretCredential(tenant_id, client_id, client_secret); the older AdalAuthentication / ServicePrincipalCredentials objects have no get_token().",
        "Pin the Azure packages the environment mixes to versions released together (azure-ai-ml with the azure-identity and azure-core it requires).",
        "For a datastore without credentials, give your identity (and the workspace's) Storage Blob Data Contributor on the account, or register the default datastore with a key or SAS.",
    ),
    doc_url=DOC_AUTH,
    examples=(
        # github.com/Azure/MachineLearningNotebooks
        "AttributeError: 'AdalAuthentication' object has no attribute 'get_token'",
        # the same message for msrestazure's credential, written here (not a user's post)
        "AttributeError: 'ServicePrincipalCredentials' object has no attribute 'get_token'",
        # github.com/Azure/azure-cli-extensions (az ml online-deployment create, identity-based datastore)
        "Error with code: 'NoneCredentials' object has no attribute 'sas_token'",
    ),
    near_misses=(
        "token = credential.get_token('https://management.azure.com/.default')",
        "AttributeError: 'NoneType' object has no attribute 'predict'",
    ),
    confidence=0.84,
)
