"""Write a document's comment thread: add a comment, delete one (its author or an owner)."""

from django.contrib.auth.models import AbstractBaseUser

from annotations.models import DocumentComment
from config.errors import Forbidden, InvalidInput
from corpus.models import Document, Membership
from corpus.selectors import user_roles

COMMENT_MAX_CHARS = 5_000


def comment_add(*, document: Document, author: AbstractBaseUser, text: str) -> DocumentComment:
    """Add `text` to the document's thread as `author`'s; InvalidInput if empty or too long."""
    text = text.strip()
    if not text:
        raise InvalidInput("text: write something to comment.", extra={"field": "text"})
    if len(text) > COMMENT_MAX_CHARS:
        raise InvalidInput(
            f"text: at most {COMMENT_MAX_CHARS} characters (got {len(text)}).",
            extra={"field": "text", "limit": COMMENT_MAX_CHARS},
        )
    return DocumentComment.objects.create(document=document, author=author, text=text)


def comment_may_delete(*, comment: DocumentComment, user: AbstractBaseUser) -> bool:
    """Whether `user` may delete `comment`: its author, or an owner of the corpus."""
    if comment.author_id == user.pk:
        return True
    return Membership.Role.OWNER in user_roles(user=user, corpus=comment.document.corpus)


def comment_delete(*, comment: DocumentComment, user: AbstractBaseUser) -> None:
    """Delete `comment`; Forbidden unless `user` wrote it or owns the corpus."""
    if not comment_may_delete(comment=comment, user=user):
        raise Forbidden("Only its author or an owner of the corpus may delete a comment.")
    comment.delete()
