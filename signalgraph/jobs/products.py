"""Product analysis: fills `descriptionAnalysis` and keeps one clarification question per missing topic.

Asked for when a product is created, when its name, description, mission or KPIs change, and when one
of its features or personas is created, renamed or deleted. Questions the team has not answered are
rewritten or, once their topic is covered, removed; answered ones stay. The analysis (a model call when
one is configured) runs between two transactions; a product changed meanwhile is left to the newer job
its change queued.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..processing.chat_completions import ChatClient
from ..processing.product_analysis import ProductFacts, analyse, analyse_with_model
from ..storage.models import Product, ProductFeature, ProductPersona, ProductQuestion
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import jobs as jobs_repo
from .queue import ANALYZE_PRODUCT
from .runner import JobRun, job


def _unanswered(question: ProductQuestion) -> bool:
    return question.status == "open" and question.answer is None


async def _facts(session: AsyncSession, ws: str, product: Product) -> ProductFacts:
    personas = await repo.by_key(session, ProductPersona, ProductPersona.product_id, ws, [product.id])
    features = await repo.by_key(session, ProductFeature, ProductFeature.product_id, ws, [product.id])
    return ProductFacts(
        name=product.name,
        description=product.description,
        mission=product.mission,
        kpis=list(product.kpis),
        personas=[p.name for p in personas[product.id]],
        features=[f.name for f in features[product.id]],
    )


@job(ANALYZE_PRODUCT)
async def analyze_product(run: JobRun) -> None:
    ws, product_id, settings = run.workspace_id, run.target_id, run.services.settings
    async with run.services.db.read() as session:
        product = await repo.get(session, Product, ws, product_id)
        if product is None:
            return
        facts = await _facts(session, ws, product)
    if settings.llm_base_url:  # the model call runs outside any transaction
        analysis = await analyse_with_model(facts, ChatClient(settings, run.usage))
    else:
        analysis = analyse(facts)
    async with run.services.db.write() as session:
        product = await jobs_repo.lock_target(session, Product, ws, product_id)
        if product is None or await _facts(session, ws, product) != facts:
            return  # deleted, or changed meanwhile: the change queued a newer analysis
        existing = await repo.by_key(session, ProductQuestion, ProductQuestion.product_id, ws, [product_id])
        questions = {q.topic: q for q in existing[product_id]}
        now = utcnow()
        product.description_analysis = {
            **analysis.as_json(),
            "analyzedAt": now.isoformat().replace("+00:00", "Z"),
        }
        session.add(product)
        for topic, text in analysis.questions.items():
            question = questions.pop(topic, None)
            if question is None:
                session.add(
                    ProductQuestion(workspace_id=ws, product_id=product_id, topic=topic, question=text)
                )
            elif _unanswered(question) and question.question != text:
                question.question, question.updated_at = text, now
                session.add(question)
        for covered in questions.values():
            if _unanswered(covered):
                await session.delete(covered)
