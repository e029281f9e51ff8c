"""botocore as the oracle for swrole's plan resolver (test/interop/botocore-diff.test.ts).

stdin: JSON {"home": DIR, "pairs": [{"id", "config", "credentials", "extra": [profile names]}]}
stdout: JSON {"botocore": VERSION, "pairs": [{"id", "parseError"?, "profiles": [...], "results": {name: outcome}}]}

Nothing here re-implements botocore's resolution: a real Session and botocore's own credential
resolver decide. Only the edges are stubbed so that nothing leaves the machine: STS clients record
their calls and return fake temporary credentials, credential_process / SSO / web-identity token
reads and the container/IMDS providers return fakes or nothing, the MFA prompt answers "123456".
The outcome records raw facts (credential method, hop profiles, AssumeRole arguments, exception
class and message); the test maps them to explain-JSON in one place.
"""
import datetime
import json
import os
import sys

import botocore
import botocore.credentials as bc
import botocore.exceptions as bx
import botocore.hooks
import botocore.session
import botocore.utils

EXPIRY = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
STATE = {}


def reset():
    STATE.update(calls=[], hops=[], fetchers=[], source=None, counter=0, sso=None)


class StubSts:
    """Stands in for the STS client botocore creates; records who signed and what was asked."""

    def __init__(self, kwargs):
        self.signed_with = kwargs.get('aws_access_key_id')
        self.region = kwargs.get('region_name')

    def _fake(self, kind, kwargs):
        STATE['counter'] += 1
        key = 'ASIAFAKE%04d' % STATE['counter']
        STATE['calls'].append({'op': kind, 'kwargs': kwargs, 'signedWith': self.signed_with, 'returned': key, 'region': self.region})
        return {'Credentials': {'AccessKeyId': key, 'SecretAccessKey': 'fake', 'SessionToken': 'fake', 'Expiration': EXPIRY}}

    def assume_role(self, **kwargs):
        return self._fake('AssumeRole', kwargs)

    def assume_role_with_web_identity(self, **kwargs):
        return self._fake('AssumeRoleWithWebIdentity', kwargs)


class NoCache(dict):
    """Every AssumeRole really happens: two profiles with the same role must still show as two hops."""

    def __contains__(self, key):
        return False

    def __setitem__(self, key, value):
        pass


# Speed only: every pair gets a new Session, and a Session registers about 12,000 builtin event handlers, each
# through two pure functions of their argument (is the handler's signature **kwargs-ready, what is the event's
# aliased name). Their answers are kept across Sessions; every Session still registers every handler, and nothing
# botocore decides changes. Without this, most of the oracle's time went there.
_ACCEPTS_KWARGS = {}
_accepts_kwargs = botocore.hooks.accepts_kwargs


def accepts_kwargs(func):
    try:
        return _ACCEPTS_KWARGS[func]
    except KeyError:
        _ACCEPTS_KWARGS[func] = answer = _accepts_kwargs(func)
        return answer
    except TypeError:  # not hashable
        return _accepts_kwargs(func)


_ALIASED_NAMES = {}
_aliaser_init = botocore.hooks.EventAliaser.__init__


def aliaser_init(self, event_emitter, event_aliases=None):
    _aliaser_init(self, event_emitter, event_aliases)
    if event_aliases is None:
        self._alias_name_cache = _ALIASED_NAMES


botocore.hooks.accepts_kwargs = accepts_kwargs
botocore.hooks.EventAliaser.__init__ = aliaser_init


def fake_creds(method, key):
    return bc.Credentials(key, 'fake', None, method=method)


botocore.session.Session.create_client = lambda self, *a, **kw: StubSts(kw)
bc.ProcessProvider._retrieve_credentials_using = lambda self, cmd: {
    'access_key': 'AKIDPROCESS', 'secret_key': 'fake', 'token': None, 'expiry_time': None, 'account_id': None}
def sso_fetch(self):
    # What SSOProvider handed its fetcher, then the token provider's own config check (load_token reads the
    # [sso-session] and raises InvalidConfigError for an incomplete one); the token cache itself is not read.
    STATE['sso'] = {'ssoSession': self._sso_session_name, 'startUrl': self._start_url, 'ssoRegion': self._sso_region,
                    'accountId': self._account_id, 'roleName': self._role_name}
    if self._token_provider is not None:
        self._token_provider.load_token()
    return {'access_key': 'ASIASSO', 'secret_key': 'fake', 'token': 'fake', 'expiry_time': EXPIRY.isoformat()}


bc.SSOCredentialFetcher.fetch_credentials = sso_fetch
botocore.utils.FileWebIdentityTokenLoader.__call__ = lambda self: 'fake-web-identity-token'
bc.ContainerProvider.load = lambda self: None
bc.InstanceMetadataProvider.load = lambda self: None
bc.CanonicalNameCredentialSourcer.source_credentials = lambda self, name: fake_creds(self._get_provider(name).METHOD, 'AKIDNAMED')

_load_via_assume_role = bc.AssumeRoleProvider._load_creds_via_assume_role
_resolve_source = bc.AssumeRoleProvider._resolve_source_credentials
_fetcher_init = bc.AssumeRoleCredentialFetcher.__init__


def load_via_assume_role(self, profile_name):
    STATE['hops'].append(profile_name)
    return _load_via_assume_role(self, profile_name)


def resolve_source(self, role_config, profile_name):
    creds = _resolve_source(self, role_config, profile_name)
    if creds.method != 'assume-role':
        named = role_config.get('credential_source') is not None
        STATE['source'] = {'profile': profile_name if named else role_config['source_profile'], 'method': creds.method}
    return creds


def fetcher_init(self, *args, **kwargs):
    # The arguments botocore's AssumeRoleProvider chose, before the fetcher adds a default session name.
    STATE['fetchers'].append({'roleArn': kwargs.get('role_arn'), 'extraArgs': dict(kwargs.get('extra_args') or {})})
    _fetcher_init(self, *args, **kwargs)


bc.AssumeRoleProvider._load_creds_via_assume_role = load_via_assume_role
bc.AssumeRoleProvider._resolve_source_credentials = resolve_source
bc.AssumeRoleCredentialFetcher.__init__ = fetcher_init


def error_of(e):
    out = {'class': type(e).__name__, 'message': str(e)}
    for field in ('provider', 'cred_var'):
        if hasattr(e, 'kwargs') and field in e.kwargs:
            out[field] = e.kwargs[field]
    return out


def resolve(session, name):
    reset()
    session.set_config_variable('profile', name)
    try:
        region = session.get_config_variable('region')
        resolver = bc.create_credential_resolver(session, cache=NoCache())
        for provider in resolver.providers:
            if isinstance(provider, bc.AssumeRoleProvider):
                provider._prompter = lambda prompt: '123456'
        creds = resolver.load_credentials()
        if creds is None:
            return {'none': True, 'region': region}
        frozen = creds.get_frozen_credentials()
        return {'region': region, 'method': creds.method, 'accessKey': frozen.access_key, 'hops': STATE['hops'],
                'source': STATE['source'], 'fetchers': STATE['fetchers'], 'calls': STATE['calls'], 'sso': STATE['sso']}
    except bx.BotoCoreError as e:
        return {'error': error_of(e)}


def run_pair(pair, home):
    env = os.environ
    for key in [k for k in env if k.startswith('AWS_') or k == 'BOTO_CONFIG']:
        del env[key]
    env['HOME'] = home
    env['AWS_CONFIG_FILE'] = pair['config']
    env['AWS_SHARED_CREDENTIALS_FILE'] = pair['credentials']
    session = botocore.session.Session()
    try:
        names = list(session.full_config.get('profiles', {}).keys())
    except bx.BotoCoreError as e:
        return {'id': pair['id'], 'parseError': error_of(e)}
    results = {}
    for name in names + [n for n in pair.get('extra', []) if n not in names]:
        results[name] = resolve(session, name)
    return {'id': pair['id'], 'profiles': names, 'results': results}


def main():
    request = json.load(sys.stdin)
    pairs = [run_pair(pair, request['home']) for pair in request['pairs']]
    json.dump({'botocore': botocore.__version__, 'pairs': pairs}, sys.stdout, default=str)


main()
