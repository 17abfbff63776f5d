# ruff: noqa: E501 - example lines are kept whole, as logs, configs and terminals print them
"""The secret formats amlwizard must mask, and the lines it must leave alone (tests and benchmarks).

Each format is a realistic line (or block) holding known secret values: a log, a config, a terminal
or an SDK repr where that kind of secret is really seen. The values are made up; their shapes are real.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SecretFormat", "FORMATS", "NON_SECRETS"]


@dataclass(frozen=True)
class SecretFormat:
    name: str
    text: str
    secrets: tuple[str, ...]  # values that must appear in no output


def _f(name: str, text: str, *secrets: str) -> SecretFormat:
    return SecretFormat(name, text, secrets)


_PEM_RSA = """\
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK
LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo
9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZ
iKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o
AbCdEfGh1234==
-----END RSA PRIVATE KEY-----"""

_PEM_OPENSSH = """\
Loading deploy key from KEY_FILE:
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDqK8mN3pR5sT7uV9wX1yZ2aB4cD6eF8gH0iJ2kL4mN6oAAAJgQ7x2P
-----END OPENSSH PRIVATE KEY-----
key loaded"""

FORMATS: list[SecretFormat] = [
    # -- environment assignments (the `\b` of a plain `SECRET` regex never matches after `_`) --
    _f(
        "env-client-secret",
        "AZURE_CLIENT_SECRET=Zk48Q~hT3rVw.9yLp_2mNqXa7cE-5sDgJbFuHoRi0K",
        "Zk48Q~hT3rVw.9yLp_2mNqXa7cE-5sDgJbFuHoRi0K",
    ),
    _f("env-export-password", "export AZUREML_DB_PASSWORD='Tr0ub4dor&3horse'", "Tr0ub4dor", "3horse"),
    _f(
        "env-api-key-yaml",
        "      OPENAI_API_KEY: 3f9a8b7c6d5e4f30a1b2c3d4e5f60718",
        "3f9a8b7c6d5e4f30a1b2c3d4e5f60718",
    ),
    _f("env-token", "HF_TOKEN=hf_QwErTyUiOpAsDfGhJkLzXcVbNm12345678", "QwErTyUiOpAsDfGhJkLzXcVbNm12345678"),
    _f(
        "env-msi-secret",
        "MSI_ENDPOINT=http://127.0.0.1:46808/MSI/auth MSI_SECRET=mK9pL2xQ7vR4tZ8w",
        "mK9pL2xQ7vR4tZ8w",
    ),
    _f(
        "env-aws-secret",
        "AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    ),
    _f(
        "os-environ-dump",
        "environ({'PATH': '/opt/miniconda/bin:/usr/bin', 'AZUREML_MODEL_DIR': '/var/azureml-app/azureml-models/sklearn-diabetes/3', 'AZUREML_RUN_TOKEN': 'rUnT0k3nValue9876543210AbCdEf', 'AZURE_CLIENT_SECRET': 'Vq71Q~Hn3.Lp6_Tv1-Rx4Wb7Yd0Ka2', 'HOSTNAME': 'sklearn-diabetes-7d9f8b6c5-x2k4p'})",
        "rUnT0k3nValue9876543210AbCdEf",
        "Vq71Q~Hn3.Lp6_Tv1-Rx4Wb7Yd0Ka2",
    ),
    # -- SDK calls and reprs --
    _f(
        "sp-password-kwarg",
        'auth = ServicePrincipalAuthentication(tenant_id="72f988bf-86f1-41af-91ab-2d7cd011db47", service_principal_id="8a2c3f1e-1111-4a4a-9b9b-123456789abc", service_principal_password=\'Qw3~rty.Secret_Value-123\')',
        "Qw3~rty.Secret_Value-123",
    ),
    _f(
        "get-keys-tuple",
        "('k3Jd92LmQp7XzR4tVb8NcW1yHs6FgA0e', 'Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe')",
        "k3Jd92LmQp7XzR4tVb8NcW1yHs6FgA0e",
        "Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
    ),
    _f(
        "v2-endpoint-keys",
        "EndpointAuthKeys({'primary_key': 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6', 'secondary_key': 'Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2'})",
        "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6",
        "Q7r8S9t0U1v2W3x4Y5z6A7b8C9d0E1f2",
    ),
    _f(
        "access-token-repr",
        "azure.identity: AccessToken(token='eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiI3MmY5ODhiZiJ9.SmVsbG8gd29ybGQgc2lnbmF0dXJl', expires_on=1764067200)",
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9",
        "SmVsbG8gd29ybGQgc2lnbmF0dXJl",
    ),
    _f("password-two-words", 'password = "correct horse battery"', "correct horse battery", "horse battery"),
    _f(
        "client-secret-yaml",
        '    client_secret: "Vx8~Kq2.Wz5_Lm9-Pr3Ts6Nb1Yc4"',
        "Vx8~Kq2.Wz5_Lm9-Pr3Ts6Nb1Yc4",
    ),
    # -- credentials in URLs --
    _f(
        "postgres-url",
        "sqlalchemy.exc.OperationalError: could not connect: postgresql://dbadmin:Pg%40ssw0rd2024@myserver.postgres.database.azure.com:5432/features",
        "Pg%40ssw0rd2024",
    ),
    _f(
        "https-userinfo",
        "git clone https://builder:azdopat7q3k5m2n8p4r6t1v9w0x@dev.azure.com/contoso/ml/_git/models",
        "azdopat7q3k5m2n8p4r6t1v9w0x",
    ),
    _f(
        "mongodb-srv",
        "pymongo: connecting to mongodb+srv://appuser:M0ngoS3cretPw@cluster0.ab1cd.mongodb.net/db?retryWrites=true",
        "M0ngoS3cretPw",
    ),
    _f(
        "redis-url",
        "redis.exceptions.AuthenticationError for rediss://:R3disK3yAbCdEfGhIjKl=@mycache.redis.cache.windows.net:6380/0",
        "R3disK3yAbCdEfGhIjKl",
    ),
    _f(
        "pip-index-url",
        "pip install --extra-index-url https://build:pypiTok3nAbCdEf123456@pkgs.dev.azure.com/contoso/_packaging/feed/pypi/simple/ churn-features",
        "pypiTok3nAbCdEf123456",
    ),
    # -- command lines --
    _f(
        "docker-login-p",
        "docker login myacr.azurecr.io -u myacr -p aB3dE6gH9jK2mN5pQ8sT1vW4yZ7+cF0=",
        "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7+cF0=",
    ),
    _f(
        "docker-login-password",
        "docker login --username myacr --password Zx9Yw8Vu7Ts6Rq5P myacr.azurecr.io",
        "Zx9Yw8Vu7Ts6Rq5P",
    ),
    _f(
        "az-login-sp",
        "az login --service-principal -u 8a2c3f1e-1111-4a4a-9b9b-123456789abc -p Sp~Secret.9876_abcdEFGH --tenant contoso.onmicrosoft.com",
        "Sp~Secret.9876_abcdEFGH",
    ),
    _f(
        "az-account-key-flag",
        'az storage blob upload --account-name mlstore --account-key "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A=" --container-name models',
        "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A",
    ),
    # -- tokens known by their prefix --
    _f(
        "github-classic",
        "remote: Invalid username or token ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ",
        "ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ",
    ),
    _f(
        "github-fine-grained",
        "GITHUB_PAT is github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789AbCdEfGhIjKlMnOpQrStUvWxYz01",
        "github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789AbCdEfGhIjKlMnOpQrStUvWxYz01",
    ),
    _f(
        "openai-key",
        "openai.AuthenticationError: Error code: 401 - Incorrect API key provided: sk-proj-AbCdEfGhIjKlMnOpQrStT3BlbkFJuVwXyZ0123456789",
        "AbCdEfGhIjKlMnOpQrStT3BlbkFJuVwXyZ0123456789",
    ),
    _f(
        "aws-secret-key",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    _f(
        "aws-access-key-id",
        "botocore.exceptions.ClientError: The AWS Access Key Id you provided does not exist in our records: AKIA2OGYBAH6TPIQ7XYZ",
        "AKIA2OGYBAH6TPIQ7XYZ",
    ),
    _f(
        "jwt-bare",
        "DEBUG azureml._restclient: token eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21sLmF6dXJlLmNvbSJ9.c2lnbmF0dXJlX2RhdGFfMTIzNDU2 expires in 3599 s",
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
        "c2lnbmF0dXJlX2RhdGFfMTIzNDU2",
    ),
    # -- HTTP headers and query strings --
    _f(
        "bearer-header",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIzNDU2Nzg5",
        "eyJzdWIiOiIxMjM0NTY3ODkwIn0",
    ),
    _f(
        "bearer-json-opaque",
        '{"headers": {"Authorization": "Bearer abcDEF123ghiJKL456mnoPQR789stuVWX"}}',
        "abcDEF123ghiJKL456mnoPQR789stuVWX",
    ),
    _f("basic-header", "authorization=Basic dXNlcjpwYXNzd29yZDEyMzQ=", "dXNlcjpwYXNzd29yZDEyMzQ"),
    _f(
        "functions-key-header",
        "x-functions-key: Fk9x8Y7w6V5u4T3s2R1q0P-AbCdEfGhIjKlMn==",
        "Fk9x8Y7w6V5u4T3s2R1q0P-AbCdEfGhIjKlMn",
    ),
    _f(
        "apim-subscription-key",
        "Ocp-Apim-Subscription-Key: 0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    ),
    _f(
        "aoai-api-key-header",
        'headers = {"Content-Type": "application/json", "api-key": "7c1a9e3b5d2f4a6c8e0b1d3f5a7c9e2b"}',
        "7c1a9e3b5d2f4a6c8e0b1d3f5a7c9e2b",
    ),
    _f(
        "api-key-query",
        '"POST /openai/deployments/gpt4/chat/completions?api-version=2024-02-01&api-key=9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d HTTP/1.1" 401',
        "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
    ),
    _f(
        "function-code-query",
        '"POST /api/score?code=aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_AbCdEf== HTTP/1.1" 401 0 "-" "python-requests/2.31.0"',
        "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_AbCdEf",
    ),
    _f(
        "sas-sig-url",
        "GET https://mlstore.blob.core.windows.net/azureml/model.pkl?sv=2021-08-06&st=2026-01-01&se=2026-01-02&sr=b&sp=r&sig=Zm9vYmFyJTJCc2VjcmV0MTIzNDU2Nzg5MA%3D%3D 403",
        "Zm9vYmFyJTJCc2VjcmV0MTIzNDU2Nzg5MA",
    ),
    _f(
        "sas-url-encoded",
        "redirect=https%3A%2F%2Fmlstore.blob.core.windows.net%2Fmodels%2Fmodel.pkl%3Fsv%3D2021-08-06%26se%3D2026-01-01%26sr%3Db%26sp%3Dr%26sig%3DaBcD1234eFgH5678iJkL%252BmNoP%253D%26foo%3Dbar",
        "aBcD1234eFgH5678iJkL",
        "mNoP",
    ),
    _f(
        "code-url-encoded",
        "GET /api/proxy?target=https%3A%2F%2Ffn.azurewebsites.net%2Fapi%2Fscore%3Fcode%3DZmNvZGVTZWNyZXQxMjM0NTY3ODk%253D%253D HTTP/1.1",
        "ZmNvZGVTZWNyZXQxMjM0NTY3ODk",
    ),
    # -- connection strings --
    _f(
        "storage-connection-string",
        "AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=mlstore;AccountKey=Ym9ndXNrZXkxMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=;EndpointSuffix=core.windows.net",
        "Ym9ndXNrZXkxMjM0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo",
    ),
    _f(
        "servicebus-connection-string",
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abcd1234EFGH5678ijkl9012MNOP3456qrst7890uvw=",
        "abcd1234EFGH5678ijkl9012MNOP3456qrst7890uvw",
    ),
    _f(
        "sql-odbc-pwd",
        "Driver={ODBC Driver 18 for SQL Server};Server=tcp:mlsql.database.windows.net,1433;Database=features;Uid=mladmin;Pwd=Sq1P@ss!word#2024;Encrypt=yes;",
        "Sq1P@ss!word#2024",
    ),
    _f(
        "redis-connection-string",
        "mycache.redis.cache.windows.net:6380,password=RdAcc3ssK3yXyZ0123456789abcdEFGH=,ssl=True,abortConnect=False",
        "RdAcc3ssK3yXyZ0123456789abcdEFGH",
    ),
    # -- JSON, escaped JSON and camelCase keys --
    _f(
        "json-account-key",
        '{"accountName": "mlstore", "accountKey": "c2VjcmV0a2V5MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDRA=="}',
        "c2VjcmV0a2V5MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDRA",
    ),
    _f(
        "json-sas-token",
        '{"containerName": "models", "sasToken": "sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-12-31T00:00:00Z&sig=U2FzU2lnbmF0dXJlVmFsdWUxMjM0NTY3ODk%3D"}',
        "U2FzU2lnbmF0dXJlVmFsdWUxMjM0NTY3ODk",
    ),
    _f(
        "json-primary-key",
        '{"primaryKey": "pK8s9dKfj3kD93kdLm2Qz7Xv", "secondaryKey": "sK1a2B3c4D5e6F7g8H9i0J"}',
        "pK8s9dKfj3kD93kdLm2Qz7Xv",
        "sK1a2B3c4D5e6F7g8H9i0J",
    ),
    _f(
        "json-escaped-in-string",
        '{"error": {"message": "{\\"primaryKey\\": \\"eScP4k9Lm2Qz7XvB3nW8\\", \\"secondaryKey\\": \\"eScS7j1Hg5Fd3Sa9Qw2E\\"}"}}',
        "eScP4k9Lm2Qz7XvB3nW8",
        "eScS7j1Hg5Fd3Sa9Qw2E",
    ),
    _f(
        "json-unicode-escaped",
        '{"details": "\\u0022accessToken\\u0022: \\u0022ya29.A0ARrdaMAbCdEfGh123IjKlMnOpQrSt\\u0022"}',
        "A0ARrdaMAbCdEfGh123IjKlMnOpQrSt",
    ),
    _f(
        "json-double-escaped-unicode",
        '{"log": "payload {\\\\u0022client_secret\\\\u0022: \\\\u0022Dq38Q~Zz1.Yy2_Xx3-Ww4Vv5Uu6Tt7Ss8Rr9Qq0Pp1\\\\u0022}"}',
        "Dq38Q~Zz1.Yy2_Xx3-Ww4Vv5Uu6Tt7Ss8Rr9Qq0Pp1",
    ),
    _f(
        "refresh-token-json",
        '{"token_type": "Bearer", "refresh_token": "0.AXoAv4j5cvGGr0GRqy180BHbR1234AbCdEfGh", "expires_in": 3599}',
        "AXoAv4j5cvGGr0GRqy180BHbR1234AbCdEfGh",
    ),
    _f(
        "storage-keys-list",
        '[{"keyName": "key1", "permissions": "FULL", "value": "Kx4mP9qR2sT7vW1yZ5bC8dF3gH6jL0nQ4rU7wX2zA5cE8fI1kM4oS7tV0yB3eG6hJ9lN2pQ5sU8xA1dF4gJ7mP0r=="}]',
        "Kx4mP9qR2sT7vW1yZ5bC8dF3gH6jL0nQ4rU7wX2zA5cE8fI1kM4oS7tV0yB3eG6hJ9lN2pQ5sU8xA1dF4gJ7mP0r",
    ),
    _f(
        "docker-config-auth",
        '{"auths": {"myacr.azurecr.io": {"auth": "bXlhY3I6QWJDZEVmR2hJaktsTW5PcFFyU3RVdld4WXo5OA=="}}}',
        "bXlhY3I6QWJDZEVmR2hJaktsTW5PcFFyU3RVdld4WXo5OA",
    ),
    _f(
        "app-insights-key",
        "APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey=0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
        "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
    ),
    # -- private keys (whole blocks, raw and inside a JSON string) --
    _f(
        "pem-rsa-block",
        _PEM_RSA,
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        "AbCdEfGh1234",
    ),
    _f(
        "pem-openssh-block",
        _PEM_OPENSSH,
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        "QyNTUxOQAAACDqK8mN3pR5sT7uV9wX1yZ2aB4cD6eF8gH0iJ2kL4mN6oAAAJgQ7x2P",
    ),
    _f(
        "pem-in-json-string",
        '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\\nPrIvKeYtAiL9876==\\n-----END PRIVATE KEY-----\\n", "client_email": "svc@proj.iam.gserviceaccount.com"}',
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
        "PrIvKeYtAiL9876",
    ),
]

# Lines users need to read exactly: masking must leave each one byte for byte as it is.
NON_SECRETS: list[str] = [
    "Registering model sklearn-diabetes:3",
    "x-ms-request-id: 2f1c7a3e-8b4d-4e9f-a1c2-3d4e5f6a7b8c",
    "x-ms-client-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e",
    "Request ID: 9c2a5e7b-1d3f-4a6b-8c0d-2e4f6a8b0c1d, correlation: {'RequestId': '9c2a5e7b-1d3f-4a6b-8c0d-2e4f6a8b0c1d'}",
    "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "Image digest: sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    "Pulling image myacr.azurecr.io/azureml/azureml_6a2bb2f2c1bf7a0e0e2a2b6e55ff5d1c:latest",
    "Step 1/15 : FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:20240418.v1@sha256:7d5b0bd1c6f1e3c2a9e8c1f0b7d6a5c4e3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8",
    "2024-05-21T13:06:02Z Image build log (azureml/azureml_7c1f9a2e4b3d4e5f8a6b9c0d1e2f3a4b)",
    "Image: mcr.microsoft.com/azureml/minimal-ubuntu22.04-py310-cpu-inference:20240501.v1",
    "Node aks-nodepool1-12345678-vmss000000 is NotReady",
    'Error from server (BadRequest): container "churn" in pod "churn-svc-6f8d9c7b54-x2m4q" is waiting to start: ContainerCreating',
    "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/ml-rg/providers/Microsoft.MachineLearningServices/workspaces/ml-ws/onlineEndpoints/churn-ep",
    "Model Directory: /var/azureml-app/azureml-models/sklearn-diabetes/3/model.pkl",
    r"C:\Users\jdoe\AppData\Local\Temp\azureml_runs\churn_1716000000_a1b2c3d4\outputs\model.pkl",
    "KeyError: 'features'",
    "Missing key: 'features' in the request body",
    "tokenizer = AutoTokenizer.from_pretrained(model_dir)",
    "keyboard interrupt received, shutting down",
    "monkey: banana keyboard tokenizer",
    "response = client.chat.completions.create(model=deployment, messages=messages, max_tokens=256)",
    "KEY_VAULT_NAME=kv-mlws-prod",
    "Key Vault: https://kv-mlws-prod.vault.azure.net/",
    "primary key rotated at 2026-11-25T09:00:00Z",
    "Application Insights Key: None",
    "Application Insights Enabled: false",
    "Entry Script Name: /var/azureml-app/score.py",
    "Liveness Probe: GET   127.0.0.1:31311/",
    "Scoring URI: http://20.50.60.70:80/api/v1/service/churn-svc/score",
    "https://ml.azure.com/endpoints/realtime/churn-svc/detail?wsid=/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/ml-rg&tid=72f988bf-86f1-41af-91ab-2d7cd011db47",
    "https://mlstore.blob.core.windows.net/azureml/ExperimentRun/dcid.run_1/outputs/model.pkl",
    "[2026-11-25 09:00:01 +0000] [1] [INFO] Starting gunicorn 22.0.0",
    "[2026-11-25 09:00:01 +0000] [42] [INFO] Booting worker with pid: 42",
    "2024-05-16 08:05:12,407 I [63] gunicorn.error - Booting worker with pid: 63",
    "2024-05-16T08:05:11,112390544+00:00 - gunicorn/run ",
    '127.0.0.1 - - [25/Nov/2026:09:00:05 +0000] "POST /score?verbose=true HTTP/1.0" 200 17 "-" "python-requests/2.31.0"',
    "2026-11-25 10:41:17,212 E [57] azmlinfsrv - User's init function failed",
    "Traceback (most recent call last):",
    '  File "/var/azureml-app/score.py", line 11, in init',
    '    threshold = float(os.environ["CHURN_THRESHOLD"])',
    "ModuleNotFoundError: No module named 'azureml_inference_server_http'",
    "azureml.exceptions._azureml_exception.UserErrorException: UserErrorException:",
    "Response Code: 503",
    "2026-11-25T10:41:18,867 - Exit code 137 is not normal. Killing image.",
    '{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599}',
    "Authentication uses a Bearer token from DefaultAzureCredential",
    "azureml.core.authentication: getting token for https://ml.azure.com",
    "  - scikit-learn==1.3.2",
    "Requests:       cpu: 1, memory: 4Gi, nvidia.com/gpu: 1",
    "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.",
    "mkdir -p /var/azureml-app/azureml-models",
    "docker run -p 5001:5001 -e AZUREML_MODEL_DIR=/var/azureml-app/azureml-models mcr.microsoft.com/azureml/inference:latest",
    "az ml online-endpoint get-credentials --name churn-ep --query primaryKey -o tsv",
    "SharedAccessKeyName=RootManageSharedAccessKey",
    "use_credentials=True, password=None, token=null",
    "Conda environment: azureml_6a2bb2f2c1bf7a0e0e2a2b6e55ff5d1c",
    "AzureMLInferenceServerHttpStartupError raised by azureml_inference_server_http.server.AzureMLInferenceServerHttpV2",
]
