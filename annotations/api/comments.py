"""API: a document's comment thread — read it and comment (members), delete (author or owner)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.models import DocumentComment
from annotations.services.comments import (
    COMMENT_MAX_CHARS,
    comment_add,
    comment_delete,
)
from config.errors import NotFound
from config.openapi import error
from config.parsers import JSONParser
from corpus.models import Membership
from corpus.selectors import corpus_get_for_user, document_get_for_user, user_roles

EXAMPLE = {
    "id": 7,
    "author": "ana",
    "text": "Is “the regime” an ORG here, or nothing?",
    "created_at": "2026-12-06T10:15:00Z",
    "may_delete": True,
}


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=COMMENT_MAX_CHARS, trim_whitespace=True)


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(allow_null=True, help_text="username; null once deleted")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    may_delete = serializers.BooleanField(help_text="whether you may delete it")


def comment_output(comment: DocumentComment, *, user, owner: bool) -> dict:
    """The API's view of `comment` for `user` (`owner`: whether they own the corpus)."""
    return {
        "id": comment.pk,
        "author": comment.author.username if comment.author else None,
        "text": comment.text,
        "created_at": comment.created_at,
        "may_delete": owner or comment.author_id == user.pk,
    }


class CommentListApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        responses=CommentOutput(many=True),
        examples=[OpenApiExample("a question", value=EXAMPLE, response_only=True)],
        operation_id="documents_comments_list",
    )
    def get(self, request: Request, slug: str, pk: int) -> Response:
        """The document's comments, oldest first, with who wrote each and when (members)."""
        document = document_get_for_user(user=request.user, slug=slug, pk=pk, tokens=False)
        owner = Membership.Role.OWNER in user_roles(user=request.user, corpus=document.corpus)
        rows = [
            comment_output(comment, user=request.user, owner=owner)
            for comment in document.comments.select_related("author")
        ]
        return Response(CommentOutput(rows, many=True).data)

    @extend_schema(
        request=CommentInput,
        responses={201: CommentOutput},
        examples=[OpenApiExample("a question", value={"text": EXAMPLE["text"]}, request_only=True)],
        operation_id="documents_comments_create",
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """Comment on the document (any member of its corpus); 400 for an empty or long text."""
        document = document_get_for_user(user=request.user, slug=slug, pk=pk, tokens=False)
        body = CommentInput(data=request.data)
        body.is_valid(raise_exception=True)
        text = body.validated_data["text"]
        comment = comment_add(document=document, author=request.user, text=text)
        output = CommentOutput(comment_output(comment, user=request.user, owner=False)).data
        return Response(output, status=status.HTTP_201_CREATED)


class CommentDetailApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "id",
                int,
                OpenApiParameter.PATH,
                description="the comment's id, as the thread gives it",
                examples=[OpenApiExample("a comment", value=7)],
            )
        ],
        responses={204: None, 403: error("Neither its author nor an owner of the corpus.")},
        operation_id="comments_destroy",
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Delete a comment: its author or an owner of the corpus."""
        comment = DocumentComment.objects.select_related("document__corpus").filter(pk=pk).first()
        if comment is None:
            raise NotFound(f"No comment {pk}.")
        corpus_get_for_user(user=request.user, slug=comment.document.corpus.slug)  # 404 outside
        comment_delete(comment=comment, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
