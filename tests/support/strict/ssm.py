"""SSM Parameter Store, for the deploy lease and the release records: reads by path that page as
AWS warns they may, the hierarchy's depth, a Standard parameter's value size, and
GetParameterHistory's bounds and pages. (moto keeps a parameter's newest 100 versions and drops
the oldest by itself, as AWS documents: PARAMETER_VERSION_LIMIT in moto/ssm/models.py.)"""

import os

from moto.ssm import models as ssm_models

from . import aws
from .aws import decode_token, encode_token, patch, refuse

Backend = ssm_models.SimpleSystemManagerBackend

# GetParametersByPath: "Request results are returned on a best-effort basis. If you specify
# MaxResults in the request, the response includes information up to the limit specified. The
# number of items returned, however, can be between zero and the value of MaxResults. If the
# service reaches an internal limit while processing the results, it stops the operation and
# returns the matching values up to that point and a NextToken."
# (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html)
# MaxResults: "Valid Range: Minimum value of 1. Maximum value of 10." So the first page is empty
# whenever something matches, and later pages hold one parameter: a reader that stops before the
# token runs out misses the lease's generations.
MAX_RESULTS = 10

# The deploy benchmark (scripts/bench.sh) sets MOTO_PLUS_PAGE_SIZE to model AWS's usual full
# pages: then every page holds up to MaxResults parameters, the first included.
FULL_PAGES = "MOTO_PLUS_PAGE_SIZE" in os.environ

# "Parameter hierarchies are limited to a maximum depth of fifteen levels."
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html),
# refused with HierarchyLevelLimitExceededException.
MAX_LEVELS = 15

# PutParameter's Value: "Standard parameters have a value limit of 4 KB. Advanced parameters have
# a value limit of 8 KB." (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html)
# AWS counts characters and refuses with a ValidationException: "Standard tier parameters support
# a maximum parameter value of 4096 characters."
VALUE_LIMIT = {"Standard": 4096, "Advanced": 8192}

# GetParameterHistory's MaxResults: "Valid Range: Minimum value of 1. Maximum value of 50."
# (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html)
# Its pages are at most aws.PAGE versions, with a NextToken while more remain: "The call also
# returns a token that you can specify in a subsequent call to get the next set of results."
HISTORY_MAX_RESULTS = 50


def get_parameters_by_path(original, self, path, recursive, filters=None, next_token=None, max_results=10):
    if not 1 <= int(max_results) <= MAX_RESULTS:
        refuse(
            "ValidationException",
            f"1 validation error detected: Value {max_results} at 'maxResults' failed to satisfy constraint: "
            f"Member must have value less than or equal to {MAX_RESULTS}",
        )
    everything, token = original(self, path, recursive, filters, None, MAX_RESULTS)
    while token:
        more, token = original(self, path, recursive, filters, token, MAX_RESULTS)
        everything.extend(more)
    if not next_token and not FULL_PAGES:
        return [], (encode_token(0) if everything else None)
    start = decode_token(next_token) if next_token else 0
    if start is None:
        refuse("InvalidNextToken", "The specified token isn't valid.")
    chunk = everything[start : start + (int(max_results) if FULL_PAGES else 1)]
    end = start + len(chunk)
    return chunk, (encode_token(end) if end < len(everything) else None)


def put_parameter(original, self, name, *args, **kwargs):
    if name.startswith("/") and name.count("/") > MAX_LEVELS:
        refuse(
            "HierarchyLevelLimitExceededException",
            "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and "
            "constraints for parameter names in the AWS Systems Manager User Guide.",
        )
    value = args[1] if len(args) > 1 else kwargs.get("value")
    tier = kwargs.get("tier") or "Standard"
    limit = VALUE_LIMIT.get(tier)
    if value is not None and limit is not None and len(value) > limit:
        refuse(
            "ValidationException",
            f"{tier} tier parameters support a maximum parameter value of {limit} characters. To create a "
            "larger parameter value, upgrade the parameter to use the advanced-parameter tier.",
        )
    return original(self, name, *args, **kwargs)


def get_parameter_history(original, self, name, next_token, max_results=HISTORY_MAX_RESULTS):
    if max_results is None or not 1 <= int(max_results) <= HISTORY_MAX_RESULTS:
        refuse(
            "ValidationException",
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy constraint: "
            f"Member must have value between 1 and {HISTORY_MAX_RESULTS}",
        )
    everything, token = original(self, name, None, HISTORY_MAX_RESULTS)
    if everything is None:
        return None, None
    while token:
        more, token = original(self, name, token, HISTORY_MAX_RESULTS)
        everything.extend(more)

    def invalid():
        refuse("InvalidNextToken", "The specified token isn't valid.")

    return aws.page(everything, next_token, max_results, invalid)


def install():
    patch(Backend, "get_parameters_by_path", get_parameters_by_path)
    patch(Backend, "put_parameter", put_parameter)
    patch(Backend, "get_parameter_history", get_parameter_history)
