"""SSM Parameter Store, for the deploy lease: reads by path that page as AWS warns they may, and
the hierarchy's depth."""

from moto.ssm import models as ssm_models

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

# "Parameter hierarchies are limited to a maximum depth of fifteen levels."
# (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html),
# refused with HierarchyLevelLimitExceededException.
MAX_LEVELS = 15


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
    if not next_token:
        return [], (encode_token(0) if everything else None)
    start = decode_token(next_token)
    if start is None:
        refuse("InvalidNextToken", "The specified token isn't valid.")
    chunk = everything[start : start + 1]
    end = start + len(chunk)
    return chunk, (encode_token(end) if end < len(everything) else None)


def put_parameter(original, self, name, *args, **kwargs):
    if name.startswith("/") and name.count("/") > MAX_LEVELS:
        refuse(
            "HierarchyLevelLimitExceededException",
            "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and "
            "constraints for parameter names in the AWS Systems Manager User Guide.",
        )
    return original(self, name, *args, **kwargs)


def install():
    patch(Backend, "get_parameters_by_path", get_parameters_by_path)
    patch(Backend, "put_parameter", put_parameter)
