import { expect } from 'chai';
import { errorMessage } from '../../../../src/adapters/http/shared/messages.js';
import {
  canHaveTokens, isKnowledgeType, KNOWLEDGE_TYPES, knowledgeTypeLabel, sameItem, type KnowledgeItem,
} from '../../../../src/domain/shared/knowledge.js';

const own: KnowledgeItem = { ref: { type: 'topic', id: '42' }, title: 'Fire safety', origin: 'own', learnerUrl: '/learn/topic/42' };
const library: KnowledgeItem = { ...own, ref: { type: 'article', id: '7' }, origin: 'library' };

describe('domain/knowledge', () => {
  describe('canHaveTokens', () => {
    it('refuses a missing item with KNOWLEDGE.NOT_FOUND and no detail', () => {
      expect(canHaveTokens(null)).to.deep.equal({ ok: false, error: { code: 'KNOWLEDGE.NOT_FOUND' } });
    });

    it('refuses library content with KNOWLEDGE.LIBRARY_CONTENT, explained by the message of its code', () => {
      const r = canHaveTokens(library);
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      expect(r.error).to.deep.equal({ code: 'KNOWLEDGE.LIBRARY_CONTENT' });
      expect(errorMessage(r.error.code)).to.equal(
        'Tokens are only available for knowledge your organisation created, not for content imported from the library.',
      );
    });

    it("accepts the organisation's own content and returns the same item", () => {
      const r = canHaveTokens(own);
      expect(r.ok).to.equal(true);
      expect(r.ok && r.value).to.equal(own);
    });
  });

  describe('isKnowledgeType', () => {
    it('accepts topic, article and pathway only', () => {
      expect(KNOWLEDGE_TYPES).to.deep.equal(['topic', 'article', 'pathway']);
      for (const t of ['topic', 'article', 'pathway']) expect(isKnowledgeType(t), t).to.equal(true);
      for (const t of ['Topic', 'course', '', ' topic', 1, null, undefined, {}, ['topic']]) expect(isKnowledgeType(t), String(t)).to.equal(false);
    });
  });

  describe('sameItem', () => {
    it('compares type and id', () => {
      expect(sameItem({ type: 'topic', id: '1' }, { type: 'topic', id: '1' })).to.equal(true);
      expect(sameItem({ type: 'topic', id: '1' }, { type: 'article', id: '1' })).to.equal(false);
      expect(sameItem({ type: 'topic', id: '1' }, { type: 'topic', id: '2' })).to.equal(false);
    });
  });

  describe('knowledgeTypeLabel', () => {
    it('labels each type', () => {
      expect(knowledgeTypeLabel('topic')).to.equal('Topic');
      expect(knowledgeTypeLabel('article')).to.equal('Article');
      expect(knowledgeTypeLabel('pathway')).to.equal('Pathway');
    });
  });
});
